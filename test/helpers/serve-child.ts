/** A `serve` child process for the fault suite: endpoints from its stderr, RSS sampling, metrics. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { httpRequest } from './net.js';
import { ROOT } from './paths.js';

/** The Node.js options `jizo-intake serve` starts with (its launcher's): a serve child runs as the service does. */
const { SERVE_NODE_FLAGS } = (await import(pathToFileURL(join(ROOT, 'scripts', 'node-flags.mjs')).href)) as { SERVE_NODE_FLAGS: string[] };

export interface ServeChild {
  child: ChildProcess;
  stderr: () => string;
  /** URLs printed at start, by scheme (`tcp`, `udp`, `http`, `https`), and `metrics`, `status` (the page). */
  urls: Map<string, URL>;
  /** Peak and last RSS in bytes, sampled every 50 ms. */
  rss: { peak: number; last: number; idle: number };
  metric(name: string, labels?: string): Promise<number>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Starts `node <serve's options> script ...args` and waits until it printed `readyText` on
 * stderr. `prefix` runs it through a command that ends by executing it (e.g.
 * `ip netns exec <ns>`), so the child's pid is still the node process's.
 */
export async function startServeChild(script: string, args: string[], readyText = /jizo-intake serve: (ready|metrics)/, env: NodeJS.ProcessEnv = process.env, prefix: string[] = []): Promise<ServeChild> {
  const [cmd, ...pre] = [...prefix, process.execPath];
  const child = spawn(cmd!, [...pre, ...SERVE_NODE_FLAGS, script, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (readyText.test(err)) {
        clearInterval(t);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(t);
        reject(new Error(`serve exited ${child.exitCode}: ${err}`));
      }
    }, 20);
  });
  const urls = new Map<string, URL>();
  const status = /status page: (http:\/\/\S+)/.exec(err);
  if (status) urls.set('status', new URL(status[1]!));
  for (const m of err.replace(/status page: \S+/g, '').matchAll(/\b((tcp|udp|tls|https?):\/\/[^\s,]+)/g)) {
    const u = new URL(m[1]!);
    if (u.pathname.endsWith('/metrics')) urls.set('metrics', u);
    else if (!u.pathname.endsWith('/healthz') && !urls.has(m[2]!)) urls.set(m[2]!, u);
  }
  const rss = { peak: 0, last: 0, idle: rssOf(child.pid!) };
  const sampler = setInterval(() => {
    rss.last = rssOf(child.pid!);
    if (rss.last > rss.peak) rss.peak = rss.last;
  }, 50);
  void exited.then(() => clearInterval(sampler));
  return {
    child,
    stderr: () => err,
    urls,
    rss,
    async metric(name, labels = '') {
      const u = urls.get('metrics')!;
      const text = (await httpRequest(Number(u.port), { method: 'GET', path: '/metrics' })).body;
      let sum = 0;
      for (const line of text.split('\n')) {
        if (!line.startsWith(name + ' ') && !line.startsWith(name + '{')) continue;
        if (labels && !line.includes(labels)) continue;
        sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
      return sum;
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
