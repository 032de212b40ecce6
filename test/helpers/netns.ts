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
import { readdirSync } from 'node:fs';

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

const tagOf = (pid: number) => (pid % 10000).toString(36);

/**
 * Removes the labs of test processes that are gone (killed before their
 * cleanup ran): their namespaces and bridge would otherwise stay, and a
 * bridge on the same subnet would take the new lab's traffic.
 */
function removeStaleLabs(): void {
  const live = new Set(readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => tagOf(Number(d))));
  const listed = spawnSync('ip', ['-o', 'link', 'show', 'type', 'bridge'], { encoding: 'utf8' }).stdout ?? '';
  const names = (spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '').split('\n').map((l) => l.split(' ')[0]!);
  for (const [, tag] of listed.matchAll(/^\d+: jzb([0-9a-z]+)[:@]/gm)) {
    if (live.has(tag!)) continue;
    for (const n of names) if (n.startsWith(`jz${tag}-`)) spawnSync('ip', ['netns', 'del', n]);
    spawnSync('ip', ['link', 'del', `jzb${tag}`]);
  }
}

/** The first subnet 198.18.<n>.0/24 (n from `from`) that no route of this host uses. */
function freeSubnet(from: number): number {
  const routes = spawnSync('ip', ['-4', 'route', 'show'], { encoding: 'utf8' }).stdout ?? '';
  for (let n = from; n < 256; n++) if (!routes.includes(`198.18.${n}.`)) return n;
  throw new Error('no free 198.18.x.0/24 subnet for the network lab');
}

/**
 * Creates one namespace per host on a fresh bridge, host i at
 * 198.18.<subnet>.(i+1), the subnet being the first one from `fromSubnet`
 * that this host does not route yet.
 */
export function createLab(hosts: string[], fromSubnet = 77): Lab {
  removeStaleLabs();
  const subnet = freeSubnet(fromSubnet);
  const tag = tagOf(process.pid);
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
