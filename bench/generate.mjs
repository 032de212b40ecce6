/**
 * Deterministic generator of Jizo/EVE traffic for the benchmark.
 *
 * Same seed and line count give the same bytes. The mix and the sizes follow
 * the public corpus (../shared/corpus): flow ~490 B, dns 350-800 B, alerts
 * 650-1400 B (with and without http), tls ~600-1000 B, fileinfo ~660 B. Every
 * value is anonymised: documentation address ranges (RFC 5737, RFC 3849) and
 * example.com/.org/.net names.
 *
 * Usage: node generate.mjs --lines N [--seed S] [--out FILE]
 */
import { createWriteStream } from 'node:fs';

/** mulberry32: a small, fast, seedable PRNG (public domain). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Share of each kind of line, in percent (sums to 100). */
export const MIX = [
  ['flow', 30],
  ['dns', 24],
  ['tls', 11],
  ['alert', 7],
  ['alert_http', 6],
  ['http', 6],
  ['fileinfo', 7],
  ['anomaly', 3],
  ['odd_syslog', 2.5],
  ['odd_envelope', 2.5],
  ['odd_broken', 0.5],
  ['odd_blank', 0.5],
];

const IFACES = ['icc1', 'icc2', 'eth0', 'ens33'];
const V4_NETS = ['192.0.2.', '198.51.100.', '203.0.113.'];
const NAMES = ['www', 'api', 'cdn', 'mail', 'login', 'static', 'update', 'telemetry', 'portal', 'vpn'];
const DOMAINS = ['example.com', 'example.org', 'example.net'];
const SIGS = [
  [2221014, 'ET EXPLOIT Possible ETERNALBLUE Probe MS17-010 (Generic Flags)', 'A Network Trojan was detected', 'Major', 3],
  [2100494, 'GPL ATTACK_RESPONSE command completed', 'Potentially Bad Traffic', undefined, 2],
  [2013028, 'ET POLICY curl User-Agent Outbound', 'Attempted Information Leak', 'Informational', 2],
  [2027865, 'ET INFO Observed DNS Query to .cloud TLD', 'Potentially Bad Traffic', 'Minor', 2],
  [2024897, 'ET USER_AGENTS Go HTTP Client User-Agent', 'Misc activity', 'Informational', 3],
  [2034567, 'ET MALWARE Possible Cobalt Strike Beacon Activity', 'A Network Trojan was detected', 'Critical', 1],
  [2019401, 'ET POLICY Session Traversal Utilities for NAT (STUN Binding Request)', 'Attempted User Privilege Gain', 'Minor', 2],
];
const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0',
  'curl/8.5.0',
  'Go-http-client/1.1',
  'Microsoft-CryptoAPI/10.0',
];
const PATHS = ['/', '/index.html', '/success.txt', '/api/v1/items', '/login', '/static/app.js', '/update/check', '/images/logo.png'];
const QUERIES = ['', '', '', '?ipv4', '?id=42&lang=en', '?q=report&page=2', '?token=REDACTED'];
const ANOMALIES = [
  ['applayer', 'APPLAYER_DETECT_PROTOCOL_ONLY_ONE_DIRECTION', 'proto_detect', 'smb'],
  ['stream', 'STREAM_PKT_INVALID_ACK', undefined, undefined],
  ['decode', 'DECODER_IPV4_OPT_PAD_REQUIRED', undefined, undefined],
];
const TLS_VERSIONS = ['TLS 1.2', 'TLS 1.3'];
const HEX = '0123456789abcdef';

export function createGenerator(seed = 42) {
  const r = rng(seed);
  const int = (n) => Math.floor(r() * n);
  const pick = (a) => a[int(a.length)];
  const hex = (n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += HEX[int(16)];
    return s;
  };
  // A sensor sees the same hosts again and again: IPv6 hosts come from a pool
  // (IPv4 ones from the 762 addresses of the three documentation ranges).
  const V6_HOSTS = Array.from({ length: 256 }, () => `2001:0db8:${hex(4)}:0000:0000:0000:0000:${hex(4)}`);
  const v6 = () => pick(V6_HOSTS);
  const addr = () => (r() < 0.05 ? v6() : pick(V4_NETS) + (1 + int(254)));
  const host = () => `${pick(NAMES)}.${pick(DOMAINS)}`;
  let clock = Date.UTC(2024, 5, 27, 12, 0, 0) * 1000; // microseconds
  const pad = (n, w) => String(n).padStart(w, '0');
  /** Suricata's strftime("%Y-%m-%dT%H:%M:%S.%06u%z"); 20% of sensors run on local time (+0200). */
  const stamp = (us, local) => {
    const shift = local ? 7200e6 : 0;
    const d = new Date(Math.floor((us + shift) / 1000));
    return (
      `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T` +
      `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(us % 1e6, 6)}` +
      (local ? '+0200' : '+0000')
    );
  };

  function base(type) {
    clock += 1 + int(2000);
    const local = r() < 0.2;
    const tcp = type !== 'dns' && r() < 0.9;
    const src = addr();
    const dst = addr();
    const e = {
      timestamp: stamp(clock, local),
      flow_id: 1e14 + int(2e15),
      in_iface: pick(IFACES),
      event_type: type,
      src_ip: src,
      src_port: 1024 + int(64000),
      dest_ip: dst,
      dest_port: type === 'dns' ? 53 : pick([80, 443, 445, 8080, 22, 3389]),
      proto: tcp ? 'TCP' : 'UDP',
    };
    if (r() < 0.3) e.pkt_src = 'wire/pcap';
    return { e, local };
  }
  function flowPart(local) {
    const pts = 1 + int(40);
    const ptc = int(40);
    return {
      pkts_toserver: pts,
      pkts_toclient: ptc,
      bytes_toserver: pts * (60 + int(1400)),
      bytes_toclient: ptc * (60 + int(1400)),
      start: stamp(clock - int(120e6), local),
    };
  }
  function httpPart() {
    const h = {
      hostname: host(),
      url: pick(PATHS) + pick(QUERIES),
      http_user_agent: pick(UAS),
      http_content_type: pick(['text/html', 'text/plain', 'application/json', 'image/png']),
      http_method: pick(['GET', 'GET', 'GET', 'POST']),
      protocol: 'HTTP/1.1',
      status: pick([200, 200, 200, 204, 301, 302, 404, 500]),
      length: int(50000),
    };
    if (r() < 0.5) h.response_length = h.length + 200;
    return h;
  }
  function alertPart() {
    const [sid, sig, cat, sev, severity] = pick(SIGS);
    const metadata = { created_at: ['2019_07_26'], updated_at: ['2024_03_12'] };
    if (sev !== undefined) metadata.signature_severity = [sev];
    if (r() < 0.5) metadata.attack_target = ['Client_Endpoint'];
    return { action: r() < 0.95 ? 'allowed' : 'blocked', gid: 1, signature_id: sid, rev: 1 + int(12), signature: sig, category: cat, severity, metadata };
  }
  const dnsRecord = (name) => {
    const a = r() < 0.7;
    return { rrname: name, rrtype: a ? 'A' : 'AAAA', ttl: int(3600), rdata: a ? pick(V4_NETS) + (1 + int(254)) : v6() };
  };

  const make = {
    flow() {
      const { e, local } = base('flow');
      e.app_proto = pick(['http', 'tls', 'dns', 'failed', 'smb']);
      e.flow = { ...flowPart(local), end: stamp(clock, local), age: int(120), state: pick(['closed', 'new', 'established']), reason: 'timeout', alerted: r() < 0.05 };
      if (e.proto === 'TCP') e.tcp = { tcp_flags: '1b', tcp_flags_ts: '1b', tcp_flags_tc: '1b', syn: true, fin: true, psh: true, ack: true, state: 'closed' };
      return e;
    },
    dns() {
      const { e } = base('dns');
      const name = host();
      const answer = r() < 0.5;
      if (r() < 0.5) {
        // EVE v2 (Suricata 5-7): one record per event for queries, answers listed.
        e.dns = answer
          ? { version: 2, type: 'answer', id: int(65536), flags: '8180', qr: true, rd: true, ra: true, rrname: name, rrtype: 'A', rcode: 'NOERROR', answers: [dnsRecord(name), dnsRecord(name)], grouped: { A: [pick(V4_NETS) + (1 + int(254))] } }
          : { version: 2, type: 'query', id: int(65536), rrname: name, rrtype: 'A', tx_id: int(4) };
      } else {
        // EVE v3 (Suricata 8): queries[] and answers[] arrays.
        e.dns = { version: 3, type: answer ? 'response' : 'request', tx_id: int(4), id: int(65536), flags: answer ? '8180' : '100', rd: true, opcode: 0, rcode: 'NOERROR', queries: [{ rrname: name, rrtype: 'A' }] };
        if (answer) e.dns.answers = [dnsRecord(name), dnsRecord(name), dnsRecord(name)];
      }
      return e;
    },
    tls() {
      const { e } = base('tls');
      e.dest_port = 443;
      e.proto = 'TCP';
      const sni = host();
      e.tls = {
        subject: `CN=${sni}`,
        issuerdn: 'C=US, O=Example Trust Services, CN=Example CA 1',
        serial: `${hex(2)}:${hex(2)}:${hex(2)}:${hex(2)}:${hex(2)}:${hex(2)}`,
        fingerprint: Array.from({ length: 20 }, () => hex(2)).join(':'),
        sni,
        version: pick(TLS_VERSIONS),
        notbefore: '2024-05-01T00:00:00',
        notafter: '2024-07-30T23:59:59',
        ja3: { hash: hex(32), string: '771,4865-4867-4866-49195-49199-52393-52392,0-23-65281-10-11-16-5-34,29-23-24,0' },
        ja3s: { hash: hex(32), string: '771,4865,41-51-43' },
      };
      return e;
    },
    alert() {
      const { e, local } = base('alert');
      e.alert = alertPart();
      e.app_proto = pick(['smb', 'tls', 'dns', 'failed']);
      e.direction = 'to_server';
      e.flow = { ...flowPart(local), src_ip: e.src_ip, dest_ip: e.dest_ip, src_port: e.src_port, dest_port: e.dest_port };
      return e;
    },
    alert_http() {
      const { e, local } = base('alert');
      e.tx_id = int(8);
      e.alert = alertPart();
      e.http = httpPart();
      e.app_proto = 'http';
      e.direction = 'to_server';
      e.flow = { ...flowPart(local), src_ip: e.src_ip, dest_ip: e.dest_ip, src_port: e.src_port, dest_port: e.dest_port };
      return e;
    },
    http() {
      const { e } = base('http');
      e.tx_id = int(8);
      e.http = httpPart();
      e.app_proto = 'http';
      return e;
    },
    fileinfo() {
      const { e } = base('fileinfo');
      e.http = httpPart();
      e.app_proto = 'http';
      e.fileinfo = { filename: e.http.url.split('?')[0], gaps: false, state: 'CLOSED', md5: hex(32), sha256: hex(64), stored: false, size: e.http.length, tx_id: int(4) };
      return e;
    },
    anomaly() {
      const { e } = base('anomaly');
      const [type, event, layer, proto] = pick(ANOMALIES);
      e.anomaly = { type, event };
      if (layer) e.anomaly.layer = layer;
      if (proto) e.anomaly.app_proto = proto;
      return e;
    },
  };

  const table = [];
  let acc = 0;
  for (const [kind, pct] of MIX) table.push([kind, (acc += pct)]);
  const kindOf = () => {
    const x = r() * 100;
    for (const [kind, upTo] of table) if (x < upTo) return kind;
    return 'flow';
  };

  /** The next line (without its newline). */
  return function next() {
    const kind = kindOf();
    if (kind === 'odd_blank') return '';
    if (kind === 'odd_syslog') {
      // rsyslog forwarding with an RFC 3164 header.
      const e = make[pick(['flow', 'dns', 'alert'])]();
      return `<14>Jun 27 12:56:49 sensor-01.example.com suricata[2114]: ${JSON.stringify(e)}`;
    }
    if (kind === 'odd_envelope') return JSON.stringify({ message: JSON.stringify(make[pick(['flow', 'dns', 'alert_http'])]()) });
    if (kind === 'odd_broken') {
      const s = JSON.stringify(make.flow());
      return s.slice(0, 40 + int(s.length - 60)); // a line cut by a crashed writer
    }
    return JSON.stringify(make[kind]());
  };
}

/** Writes `lines` lines to `out` (a path), honouring backpressure. */
/**
 * The input of a benchmark script run by hand: the file given as first
 * argument, or `--lines N` generated lines (default 200,000) in a temporary
 * file that `cleanup()` removes. `opt(name, default)` reads an option.
 */
export async function benchInput(prefix, args = process.argv.slice(2)) {
  const { readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const opt = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
  let file = args[0] && !args[0].startsWith('--') ? args[0] : undefined;
  let generated;
  if (!file) {
    generated = file = join(tmpdir(), `${prefix}-${process.pid}.ndjson`);
    await generateFile(file, Number(opt('--lines', 200_000)), 42);
  }
  const events = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').length;
  return { file, events, opt, cleanup: () => generated && rmSync(generated, { force: true }) };
}

export async function generateFile(out, lines, seed = 42) {
  const next = createGenerator(seed);
  const ws = createWriteStream(out);
  let buf = '';
  for (let i = 0; i < lines; i++) {
    buf += next() + '\n';
    if (buf.length > 1 << 20) {
      if (!ws.write(buf)) await new Promise((res) => ws.once('drain', res));
      buf = '';
    }
  }
  ws.end(buf);
  await new Promise((res, rej) => ws.on('finish', res).on('error', rej));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i === -1 ? dflt : process.argv[i + 1];
  };
  const lines = Number(arg('--lines', '10000'));
  if (!Number.isSafeInteger(lines) || lines < 1 || lines > 10_000_000) {
    process.stderr.write('--lines must be between 1 and 10000000\n');
    process.exit(2);
  }
  await generateFile(arg('--out', '/dev/stdout'), lines, Number(arg('--seed', '42')));
}
