/**
 * How many cores this process may use: the count of its CPU affinity mask
 * (`os.availableParallelism()`), bounded by the CPU quota of its cgroup (a
 * container's CPU limit, e.g. Kubernetes `resources.limits.cpu`), which the
 * libuv of Node.js 20 does not read. Without the bound, a container limited
 * to 2 CPUs on a 64-core host would start 64 normalization threads (each with
 * its own heap) that the quota then throttles.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Cores granted by a cgroup v2 `cpu.max` ("QUOTA PERIOD", or "max PERIOD" for none), rounded up; undefined without a quota. */
export function cpuMaxCores(text: string): number | undefined {
  const [quota, period] = text.trim().split(/\s+/);
  return quotaCores(quota, period ?? '100000');
}

/** Cores granted by a quota and a period in microseconds (cgroup v1 `cfs_quota_us` is -1 for none), rounded up, at least 1. */
export function quotaCores(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota);
  const p = Number(period);
  if (!Number.isFinite(q) || !Number.isFinite(p) || q <= 0 || p <= 0) return undefined;
  return Math.max(1, Math.ceil(q / p));
}

/**
 * The cgroup paths of this process, from /proc/self/cgroup: `v2` from the
 * "0::/path" line, `cpu` from the cgroup v1 line whose controllers include
 * `cpu` ("4:cpu,cpuacct:/path"). A host may have both (hybrid mode).
 */
export function cgroupPaths(procSelfCgroup: string): { v2?: string; cpu?: string } {
  const out: { v2?: string; cpu?: string } = {};
  for (const line of procSelfCgroup.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (m === null) continue;
    const path = m[3] || '/';
    if (m[1] === '0' && m[2] === '') out.v2 = path;
    else if (m[2]!.split(',').includes('cpu')) out.cpu = path;
  }
  return out;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** `dir` + `path`, and `dir` itself (inside a container the process's own cgroup is usually mounted there). */
function under(dir: string, path: string | undefined): string[] {
  return path === undefined || path === '/' ? [dir] : [dir + path, dir];
}

/** The CPU quota of this process's cgroup, in cores (rounded up); undefined when there is none or it cannot be read. */
export function cgroupCpuQuota(readText: (path: string) => string | undefined = read): number | undefined {
  const paths = cgroupPaths(readText('/proc/self/cgroup') ?? '');
  // cgroup v2 (the cpu controller, when enabled, has cpu.max)...
  for (const dir of under('/sys/fs/cgroup', paths.v2)) {
    const text = readText(`${dir}/cpu.max`);
    if (text !== undefined) return cpuMaxCores(text);
  }
  // ... else cgroup v1, alone or beside a v2 hierarchy without the cpu controller (hybrid mode).
  for (const root of ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpu,cpuacct']) {
    for (const dir of under(root, paths.cpu)) {
      const quota = readText(`${dir}/cpu.cfs_quota_us`);
      if (quota !== undefined) return quotaCores(quota.trim(), readText(`${dir}/cpu.cfs_period_us`)?.trim());
    }
  }
  return undefined;
}

/** Cores this process may use: the affinity mask's count, bounded by its cgroup's CPU quota. */
export function usableCores(cores = availableParallelism(), quota = cgroupCpuQuota()): number {
  return quota === undefined ? cores : Math.max(1, Math.min(cores, quota));
}
