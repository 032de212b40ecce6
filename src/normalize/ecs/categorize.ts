/**
 * event.kind / category / type and the default network.protocol of each EVE
 * event_type (issue 3 "Categorization"; ECS allowed values: every type is legal
 * for at least one category, see ecs-fields.json event.category allowed_values).
 */
import type { JsonObject } from '../../eve/json.js';
import type { Ecs } from './build.js';

interface Category {
  kind: string;
  category: readonly string[];
  type: readonly string[];
  /** network.protocol when the event has no usable app_proto. */
  protocol?: string;
}

const NETWORK = ['network'] as const;
const PROTOCOL = (protocol: string): Category => ({ kind: 'event', category: NETWORK, type: ['protocol'], protocol });

/** Event types that are a protocol transaction log (Suricata EVE output types). */
const PROTOCOL_TYPES = [
  'dns', 'tls', 'ssh', 'smb', 'smtp', 'ftp', 'tftp', 'krb5', 'dhcp', 'rdp', 'rfb', 'sip', 'snmp', 'quic', 'mqtt',
  'nfs', 'pgsql', 'ike', 'ikev2', 'ldap', 'dcerpc', 'dnp3', 'modbus', 'enip', 'http2', 'pop3', 'imap', 'mdns',
  'llmnr', 'websocket', 'bittorrent_dht', 'bittorrent-dht', 'doh2', 'diameter', 'arp', 'telnet', 'ntp', 'template',
];

const TABLE = new Map<string, Category>();
for (const t of PROTOCOL_TYPES) TABLE.set(t, PROTOCOL(t));
// ftp-data is the data channel of FTP (Elastic maps it to "ftp" too).
TABLE.set('ftp_data', PROTOCOL('ftp'));
TABLE.set('ftp-data', PROTOCOL('ftp'));
TABLE.set('http', { kind: 'event', category: ['network', 'web'], type: ['access', 'protocol'], protocol: 'http' });
TABLE.set('fileinfo', { kind: 'event', category: ['network', 'file'], type: ['info'] });
TABLE.set('anomaly', { kind: 'event', category: NETWORK, type: ['info'] });
TABLE.set('drop', { kind: 'event', category: NETWORK, type: ['denied'] });
TABLE.set('flow', { kind: 'event', category: NETWORK, type: ['connection'] });
TABLE.set('netflow', { kind: 'event', category: NETWORK, type: ['connection'] });
TABLE.set('stats', { kind: 'metric', category: NETWORK, type: ['info'] });
TABLE.set('frame', { kind: 'event', category: NETWORK, type: ['info'] });
const UNKNOWN: Category = { kind: 'event', category: NETWORK, type: ['info'] };

/**
 * The `event` object of a document: kind, category, type, module and dataset,
 * created in one shape (the mappers add action, outcome, start ... later).
 */
export function categorize(s: Ecs): Record<string, unknown> {
  const e = s.e;
  if (s.type === 'alert') {
    // alert.action is "allowed" or "blocked" (EVE doc, alert); "denied" is the ECS word for blocked.
    const alert = e.alert as JsonObject | undefined;
    const blocked = typeof alert === 'object' && alert !== null && alert.action === 'blocked';
    return { kind: 'alert', category: ['network', 'intrusion_detection'], type: [blocked ? 'denied' : 'allowed'], module: 'jizo', dataset: 'jizo.eve' };
  }
  const c = TABLE.get(s.type) ?? UNKNOWN;
  const type = c.type.slice();
  if (s.type === 'flow') {
    // Flow state: "new" when the flow starts, "closed" when it ended (EVE doc, flow).
    const flow = e.flow as JsonObject | undefined;
    const state = typeof flow === 'object' && flow !== null ? flow.state : undefined;
    if (state === 'new') type.push('start');
    else if (state === 'closed') type.push('end');
  }
  return { kind: c.kind, category: c.category.slice(), type, module: 'jizo', dataset: 'jizo.eve' };
}

/** network.protocol of an event type when the event has no usable app_proto. */
export function defaultProtocol(type: string): string | undefined {
  return TABLE.get(type)?.protocol;
}
