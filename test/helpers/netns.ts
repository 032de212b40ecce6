/**
 * A small lab of "hosts" on one machine: each host is a Linux network
 * namespace with its own address on a private bridge, so that processes run
 * as on separate machines (own loopback, own interfaces, traffic between them
 * crosses a link that can be cut). Needs root and iproute2; {@link netnsSkip}
 * says why the tests that need it cannot run.
 *
 * Addresses are taken from 198.18.0.0/15 (RFC 2544, benchmarking), which no
 * real network routes. The root namespace joins the bridge as the "console"
 * (the test itself) at .254, so it can reach every host.
 */
import { execFileSync, spawnSync } from 'node:child_process';

export interface Lab {
  /** The address of a host. */
  addr(host: string): string;
  /** The command prefix that runs a program on a host (`ip netns exec <ns>`). */
  on(host: string): string[];
  /** Cuts the host's link (its cable pulled: no reset, no FIN, packets just vanish). */
  cut(host: string): void;
  /** Plugs the host's link back in. */
  restore(host: string): void;
  destroy(): void;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** Why the network-namespace tests cannot run here, or false. */
export function netnsSkip(): string | false {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'network namespaces need root (run the tests as root to include the multi-host topology test)';
  // as root, CI installs iproute2 (.ci/run): a missing one is then a failure, not a skip
  if (process.env.JIZO_REQUIRE_SERVICES === '1') return false;
  const probe = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return `iproute2 is missing or cannot list namespaces (${probe.error?.message ?? probe.stderr}); apt-get install -y iproute2`;
  return false;
}

/** Creates one namespace per host on a fresh bridge, host i at 198.18.<subnet>.(i+1). */
export function createLab(hosts: string[], subnet = 77): Lab {
  const tag = (process.pid % 10000).toString(36);
  const bridge = `jzb${tag}`;
  const ns = (h: string) => `jz${tag}-${h}`;
  const hostVeth = (i: number) => `jz${tag}h${i}`;
  const addr = new Map(hosts.map((h, i) => [h, `198.18.${subnet}.${i + 1}`]));
  const created: string[] = [];
  const lab: Lab = {
    addr: (h) => addr.get(h)!,
    on: (h) => ['ip', 'netns', 'exec', ns(h)],
    cut: (h) => ip('link', 'set', hostVeth(hosts.indexOf(h)), 'down'),
    restore: (h) => ip('link', 'set', hostVeth(hosts.indexOf(h)), 'up'),
    destroy() {
      for (const n of created) spawnSync('ip', ['netns', 'del', n]);
      spawnSync('ip', ['link', 'del', bridge]);
    },
  };
  try {
    ip('link', 'add', bridge, 'type', 'bridge');
    ip('addr', 'add', `198.18.${subnet}.254/24`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    hosts.forEach((h, i) => {
      ip('netns', 'add', ns(h));
      created.push(ns(h));
      ip('link', 'add', hostVeth(i), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns(h));
      ip('link', 'set', hostVeth(i), 'master', bridge);
      ip('link', 'set', hostVeth(i), 'up');
      ip('-n', ns(h), 'addr', 'add', `${addr.get(h)}/24`, 'dev', 'eth0');
      ip('-n', ns(h), 'link', 'set', 'eth0', 'up');
      ip('-n', ns(h), 'link', 'set', 'lo', 'up');
    });
  } catch (e) {
    lab.destroy();
    throw e;
  }
  return lab;
}
