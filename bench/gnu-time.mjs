/**
 * GNU time (`/usr/bin/time -v`): the one place its report is read, for every
 * case of the benchmark (the CLI runs, serve and rsyslog).
 */
import { existsSync, readFileSync } from 'node:fs';

/** The GNU time binary, when installed (Debian: the `time` package). */
export const TIME_BIN = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Peak RSS (KB), CPU seconds (user + system, and each) and exit status from a `time -v` report. */
export function parseTime(stderr) {
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  const status = /Exit status: (\d+)/.exec(stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr);
  return {
    rssKb: m ? Number(m[1]) : undefined,
    cpu: user && sys ? Number(user[1]) + Number(sys[1]) : undefined,
    user: user ? Number(user[1]) : undefined,
    sys: sys ? Number(sys[1]) : undefined,
    status: status ? Number(status[1]) : undefined,
  };
}

/** The process GNU time started (to signal it, not time itself); `pid` when time is not used. */
export function timedPid(pid) {
  if (!TIME_BIN) return pid;
  return Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ')[0]);
}
