/** Cores a process may use: the affinity count bounded by a cgroup CPU quota (container CPU limits). */
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { cgroupCpuQuota, cgroupPaths, cpuMaxCores, quotaCores, usableCores } from '../src/runtime/cores.js';
import { normalizationThreads } from '../src/serve/service.js';

/** A reader of a fake /proc and /sys. */
const files = (map: Record<string, string>) => (path: string) => map[path];

describe('usable cores', () => {
  it('reads a cgroup v2 cpu.max: a quota is rounded up to whole cores, "max" is no quota', () => {
    assert.equal(cpuMaxCores('200000 100000\n'), 2);
    assert.equal(cpuMaxCores('150000 100000'), 2);
    assert.equal(cpuMaxCores('50000 100000'), 1);
    assert.equal(cpuMaxCores('400000 50000'), 8);
    assert.equal(cpuMaxCores('max 100000\n'), undefined);
    assert.equal(cpuMaxCores(''), undefined);
  });

  it('reads a cgroup v1 quota: -1 is no quota', () => {
    assert.equal(quotaCores('300000', '100000'), 3);
    assert.equal(quotaCores('-1', '100000'), undefined);
    assert.equal(quotaCores('junk', '100000'), undefined);
  });

  it('finds the process cgroup paths in /proc/self/cgroup, v2, v1 and hybrid', () => {
    assert.deepEqual(cgroupPaths('0::/\n'), { v2: '/' });
    assert.deepEqual(cgroupPaths('0::/kubepods/pod1/c1\n'), { v2: '/kubepods/pod1/c1' });
    assert.deepEqual(cgroupPaths('5:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n'), { cpu: '/docker/abc' });
    assert.deepEqual(cgroupPaths('4:memory:/x\n1:cpu:/\n0::/\n'), { cpu: '/', v2: '/' });
  });

  it('takes the quota of the process cgroup: v2, v2 inside a container namespace, v1, hybrid (v2 without the cpu controller)', () => {
    assert.equal(cgroupCpuQuota(files({ '/proc/self/cgroup': '0::/kubepods/p/c\n', '/sys/fs/cgroup/kubepods/p/c/cpu.max': '250000 100000\n' })), 3);
    assert.equal(cgroupCpuQuota(files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': '100000 100000\n' })), 1);
    assert.equal(cgroupCpuQuota(files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': 'max 100000\n' })), undefined);
    assert.equal(
      cgroupCpuQuota(files({ '/proc/self/cgroup': '4:cpu,cpuacct:/docker/abc\n', '/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us': '200000\n', '/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us': '100000\n' })),
      2,
    );
    // Hybrid: a v2 line, no cpu.max anywhere, the quota on the v1 cpu hierarchy.
    assert.equal(
      cgroupCpuQuota(files({ '/proc/self/cgroup': '1:cpu:/\n0::/\n', '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '400000\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' })),
      4,
    );
    assert.equal(cgroupCpuQuota(files({ '/proc/self/cgroup': '1:cpu:/\n0::/\n', '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n' })), undefined);
    assert.equal(cgroupCpuQuota(files({})), undefined);
  });

  it('bounds the affinity count by the quota, never below one', () => {
    assert.equal(usableCores(64, 2), 2);
    assert.equal(usableCores(2, 8), 2);
    assert.equal(usableCores(4, undefined), 4);
    assert.equal(usableCores(1, 1), 1);
    // On this machine: never more than the affinity count.
    assert.ok(usableCores() >= 1 && usableCores() <= availableParallelism());
  });

  it("serve's auto: one normalization thread per usable core", () => {
    assert.equal(normalizationThreads('auto', usableCores(64, 2)), 2);
    assert.equal(normalizationThreads('auto'), usableCores());
  });
});
