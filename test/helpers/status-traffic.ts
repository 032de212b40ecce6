/**
 * A known mix of traffic for the status page tests: alerts of two signatures,
 * flows and a few bad lines, over syslog (TCP) and HTTP, with what a person
 * should then read on the page.
 */
import { httpRequest, tcpSend } from './net.js';

export const SCAN = 'ET SCAN Suspicious inbound to MSSQL port 1433';
export const POLICY = 'ET POLICY Outdated Flash Version';

const at = (i: number) => `2024-05-01T10:00:${String(i % 60).padStart(2, '0')}.000000+0000`;

export function alert(i: number, signature: string, severity: number): string {
  return JSON.stringify({
    timestamp: at(i), flow_id: 1000 + i, event_type: 'alert', src_ip: `203.0.113.${5 + (i % 3)}`, src_port: 40000 + i,
    dest_ip: '198.51.100.20', dest_port: 1433, proto: 'TCP',
    alert: { action: 'allowed', gid: 1, signature_id: 2010935, rev: 2, signature, category: 'Potentially Bad Traffic', severity },
  });
}

export function flow(i: number): string {
  return JSON.stringify({
    timestamp: at(i), flow_id: 5000 + i, event_type: 'flow', src_ip: `192.0.2.${10 + (i % 4)}`, src_port: 50000 + i,
    dest_ip: '198.51.100.1', dest_port: 443, proto: 'TCP', app_proto: 'tls',
    flow: { pkts_toserver: 5, pkts_toclient: 4, bytes_toserver: 800, bytes_toclient: 3000, start: at(i), end: at(i), age: 0, state: 'closed', reason: 'timeout', alerted: false },
  });
}

const syslog = (line: string) => `<134>1 2024-05-01T10:00:00.000000Z sensor-1 suricata 1234 - - ${line}\n`;

export interface Mix {
  syslog: string[];
  http: string[];
}

/** 6 SCAN alerts, 5 flows and 2 lines that are not JSON over syslog; 3 POLICY alerts, 4 flows and 1 cut line over HTTP. */
export function knownMix(): Mix {
  return {
    syslog: [
      ...Array.from({ length: 6 }, (_, i) => alert(i, SCAN, 2)),
      ...Array.from({ length: 5 }, (_, i) => flow(i)),
      'this is not json at all',
      'neither is this one',
    ],
    http: [
      ...Array.from({ length: 3 }, (_, i) => alert(10 + i, POLICY, 1)),
      ...Array.from({ length: 4 }, (_, i) => flow(10 + i)),
      '{"timestamp":"2024-05-01T10:00:00Z","event_type":"alert","src_ip":"192.0.2.1"',
    ],
  };
}

/** Sends the syslog lines over one TCP connection and the HTTP lines as one NDJSON body; resolves once the body is durable. */
export async function sendMix(mix: Mix, ports: { syslog: number; http: number }, headers: Record<string, string> = {}): Promise<void> {
  await tcpSend(ports.syslog, mix.syslog.map(syslog).join(''));
  const answer = await httpRequest(ports.http, { body: mix.http.join('\n') + '\n', headers: { 'content-type': 'application/x-ndjson', ...headers } });
  if (answer.status !== 202) throw new Error(`HTTP source answered ${answer.status}: ${answer.body}`);
}
