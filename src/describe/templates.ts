/**
 * The description templates: data, read by engine.ts. How they work and how to
 * add one: docs/descriptions.md.
 *
 * Selection: every condition of a template must hold and its required
 * placeholders (outside `[...]`) must have values; among those, the template
 * with the most conditions wins, the earliest listed on a tie. The last two
 * templates have no conditions: `network` (needs a source address) and
 * `generic` (always eligible).
 *
 * Field names follow the two profiles: `action.properties.*` and uppercase
 * transports for `sekoia`; ECS fields and `jizo.<event_type>.*` custom fields
 * for `ecs` (issue 3). A `jizo.*` placeholder is always optional so that a
 * renamed custom field shortens the sentence instead of disabling the template.
 */
import type { DescriptionTemplate, RelationshipTemplate } from './engine.js';

const SRC = '{source.ip|host}[:{source.port}]';
const DST = '{destination.ip|host}[:{destination.port}]';
/** " from A to B", each side optional. */
const FROM_TO = `[ from ${SRC}][ to ${DST}]`;
const OVER = '[ over {network.transport}[/{network.protocol}]]';
/** The app-layer detail an alert carries (ecs profile). */
const APP_LAYER = '[; DNS {dns.question.name}][; TLS {tls.client.server_name}][; HTTP {http.request.method} {url.original}][; file {file.name}]';
const STATS =
  'Sensor statistics[ of {observer.hostname}][: uptime {jizo.stats.uptime} s][, {jizo.stats.capture.kernel_packets} packets captured]' +
  '[, {jizo.stats.capture.kernel_drops} dropped][, {jizo.stats.decoder.pkts} packets decoded].';
const CONNECTED = { source: 'source.ip', verb: 'connected to', target: 'destination.ip' } as const;

export const DESCRIPTION_TEMPLATES: readonly DescriptionTemplate[] = [
  // ---- alerts ----
  {
    id: 'alert-sekoia',
    eventTypes: ['alert'],
    when: [{ field: 'event.kind', equals: 'alert' }, { field: 'action.properties.signature', exists: true }],
    text:
      'Alert "{action.properties.signature}"[ (signature {action.properties.signature_id})][, category "{action.properties.category}"]' +
      `[, severity {event.severity}[ ({action.properties.severity})]][, {event.action}]${FROM_TO}${OVER}` +
      '[, HTTP status {http.response.status_code}[ for {url.original}]].',
    relationships: [CONNECTED, { source: 'source.ip', verb: 'triggered', target: 'action.properties.signature' }],
  },
  {
    id: 'alert',
    eventTypes: ['alert'],
    when: [{ field: 'event.kind', equals: 'alert' }, { field: 'rule.name', exists: true }],
    text:
      'Alert "{rule.name}"[ (rule {rule.id}[ rev {rule.version}])][, category "{rule.category}"][, severity {event.severity}]' +
      `[, {event.type}]${FROM_TO}${OVER}[, technique {threat.technique.name}[ ({threat.technique.id})]]` +
      `${APP_LAYER}.`,
    relationships: [CONNECTED, { source: 'source.ip', verb: 'triggered', target: 'rule.name' }],
  },
  {
    // A drop event carries the alert that dropped it; the sekoia profile does not say the event is a drop.
    id: 'signature-sekoia',
    eventTypes: ['drop'],
    when: [{ field: 'action.properties.signature', exists: true }],
    text:
      'Signature "{action.properties.signature}"[ (signature {action.properties.signature_id})] matched[, severity {event.severity}]' +
      `[, traffic {event.action}]${FROM_TO}${OVER}.`,
    relationships: [CONNECTED, { source: 'source.ip', verb: 'triggered', target: 'action.properties.signature' }],
  },
  {
    // An alert without its alert object (fragments, truncated events): say what is known.
    id: 'alert-unnamed',
    eventTypes: ['alert'],
    when: [{ field: 'event.kind', equals: 'alert' }, { field: 'rule.name', absent: true }],
    text: `Alert without signature${FROM_TO}${OVER}${APP_LAYER}.`,
    relationships: [CONNECTED],
  },
  // ---- flows ----
  {
    id: 'flow',
    eventTypes: ['flow'],
    when: [{ field: 'source.bytes', exists: true }, { field: 'destination.bytes', exists: true }],
    text:
      `Flow${OVER} from ${SRC} to ${DST}: {source.bytes} bytes[ ({source.packets} pkts)] sent, ` +
      '{destination.bytes} bytes[ ({destination.packets} pkts)] back[, started {event.start}][, ended {event.end}][ ({jizo.flow.state})].',
    relationships: [CONNECTED],
  },
  {
    id: 'netflow',
    eventTypes: ['netflow'],
    // Two conditions, like `flow-state` listed after it; a two-way flow is `flow`, listed first.
    when: [{ field: 'network.bytes', exists: true }, { field: 'event.type', equals: 'connection' }],
    text: `One-way flow${OVER} from ${SRC} to ${DST}: {network.bytes} bytes[ ({network.packets} pkts)][, started {event.start}][, ended {event.end}].`,
    relationships: [CONNECTED],
  },
  {
    // A flow logged before it carried traffic (flow start, or a timed-out handshake): no byte counts.
    id: 'flow-state',
    eventTypes: ['flow'],
    when: [{ field: 'event.type', equals: 'connection' }, { field: 'event.kind', equals: 'event' }],
    text: `Flow${OVER} from ${SRC} to ${DST}[, state {jizo.flow.state}][, started {event.start}][, ended {event.end}].`,
    relationships: [CONNECTED],
  },
  // ---- dns ----
  {
    id: 'dns-query',
    eventTypes: ['dns'],
    when: [{ field: 'dns.question.name', exists: true }, { field: 'dns.type', equals: 'query' }],
    text: `DNS query for {dns.question.name}[ ({dns.question.type})] from ${SRC}[ to ${DST}][, id {dns.id}].`,
    relationships: [{ source: 'source.ip', verb: 'queried', target: 'dns.question.name' }],
  },
  {
    // Addresses say it all: the answers would repeat them.
    id: 'dns-answer-resolved',
    eventTypes: ['dns'],
    when: [
      { field: 'dns.question.name', exists: true },
      { field: 'dns.type', equals: 'answer' },
      { field: 'dns.resolved_ip', exists: true },
    ],
    text: `DNS answer for {dns.question.name}[ ({dns.question.type})][: {dns.response_code}], resolved to {dns.resolved_ip}${FROM_TO}.`,
    relationships: [{ source: 'dns.question.name', verb: 'resolved to', target: 'dns.resolved_ip' }],
  },
  {
    id: 'dns-answer',
    eventTypes: ['dns'],
    when: [{ field: 'dns.question.name', exists: true }, { field: 'dns.type', equals: 'answer' }],
    text:
      'DNS answer for {dns.question.name}[ ({dns.question.type})][: {dns.response_code}][, resolved to {dns.resolved_ip}]' +
      `[, answers {dns.answers.data}]${FROM_TO}.`,
    relationships: [{ source: 'dns.question.name', verb: 'resolved to', target: 'dns.resolved_ip' }],
  },
  {
    // EVE v1 answers name the records, not always the question.
    id: 'dns-answer-records',
    eventTypes: ['dns'],
    when: [{ field: 'dns.type', equals: 'answer' }],
    text: `DNS answer[: {dns.response_code}][ for {dns.answers.name}][, resolved to {dns.resolved_ip}][, answers {dns.answers.data}]${FROM_TO}[, id {dns.id}].`,
    relationships: [{ source: 'dns.answers.name', verb: 'resolved to', target: 'dns.resolved_ip' }],
  },
  {
    id: 'dns-query-unnamed',
    eventTypes: ['dns'],
    when: [{ field: 'dns.type', equals: 'query' }],
    text: `DNS query[ of type {dns.question.type}]${FROM_TO}[, id {dns.id}].`,
    relationships: [CONNECTED],
  },
  {
    id: 'dns',
    eventTypes: ['dns'],
    when: [{ field: 'dns.question.name', exists: true }],
    text: `DNS[ {dns.type}] for {dns.question.name}[ ({dns.question.type})][: {dns.response_code}][, resolved to {dns.resolved_ip}]${FROM_TO}.`,
    relationships: [
      { source: 'source.ip', verb: 'queried', target: 'dns.question.name' },
      { source: 'dns.question.name', verb: 'resolved to', target: 'dns.resolved_ip' },
    ],
  },
  // ---- tls / quic ----
  {
    id: 'quic',
    eventTypes: ['quic'],
    when: [{ field: 'network.protocol', equals: 'quic' }, { field: 'event.type', equals: 'protocol' }],
    text: `QUIC[ {tls.version}]${FROM_TO}[ for {tls.client.server_name}][, JA3 {tls.client.ja3}].`,
    relationships: [CONNECTED, { source: 'source.ip', verb: 'connected to', target: 'tls.client.server_name' }],
  },
  {
    id: 'tls',
    eventTypes: ['tls'],
    when: [{ field: 'tls.client.server_name', exists: true }],
    text:
      `TLS[ {tls.version}] from ${SRC}[ to ${DST}] for {tls.client.server_name}` +
      '[, certificate {tls.server.x509.subject.common_name}][ issued by {tls.server.x509.issuer.common_name}][, JA3 {tls.client.ja3}].',
    relationships: [
      { source: 'source.ip', verb: 'connected to', target: 'tls.client.server_name' },
      { source: 'tls.client.server_name', verb: 'presented certificate of', target: 'tls.server.x509.subject.common_name' },
    ],
  },
  {
    id: 'tls-no-sni',
    eventTypes: ['tls'],
    when: [{ field: 'tls.version', exists: true }],
    text:
      `TLS {tls.version}${FROM_TO} without server name` +
      '[, certificate {tls.server.x509.subject.common_name}][ issued by {tls.server.x509.issuer.common_name}][, JA3 {tls.client.ja3}].',
    relationships: [CONNECTED],
  },
  {
    // Handshakes Suricata could not fully parse (version UNDETERMINED): what fingerprints there are.
    id: 'tls-other',
    eventTypes: ['tls'],
    when: [{ field: 'jizo.tls', exists: true }],
    text: `TLS[ {jizo.tls.version}]${FROM_TO}[, JA3 {tls.client.ja3}][, JA4 {jizo.tls.ja4}].`,
    relationships: [CONNECTED],
  },
  {
    // Listed before `http`: a fileinfo event also carries the HTTP transaction of its file.
    id: 'fileinfo',
    eventTypes: ['fileinfo'],
    when: [{ field: 'event.category', equals: 'file' }],
    text:
      'File[ {file.name}][ ({file.size} bytes)][ of {http.response.mime_type}] transferred[ over {network.protocol|upper}][ (host {destination.domain})]' +
      `[ between ${SRC} and ${DST}][, sha256 {file.hash.sha256}][, md5 {file.hash.md5}].`,
    relationships: [{ source: 'source.ip', verb: 'transferred', target: 'file.name' }],
  },
  // ---- http ----
  {
    id: 'http',
    eventTypes: ['http', 'http2'],
    when: [{ field: 'http.request.method', exists: true }],
    text:
      `{source.ip|host} sent HTTP {http.request.method} {url.original}[ to {destination.domain}][ ({destination.ip|host}[:{destination.port}])]` +
      '[, status {http.response.status_code}][, {http.response.body.bytes} bytes][ of {http.response.mime_type}][, user agent "{user_agent.original}"].',
    relationships: [
      { source: 'source.ip', verb: 'requested', target: 'url.original' },
      { source: 'source.ip', verb: 'connected to', target: 'destination.domain' },
    ],
  },
  {
    id: 'http-sekoia',
    eventTypes: ['http'],
    when: [{ field: 'url.original', exists: true }],
    text: `HTTP request for {url.original}${FROM_TO}[, status {http.response.status_code}][, {http.response.bytes} bytes in response].`,
    relationships: [{ source: 'source.ip', verb: 'requested', target: 'url.original' }],
  },
  // ---- files ----
  {
    id: 'fileinfo-http',
    eventTypes: ['fileinfo'],
    when: [{ field: 'file.name', exists: true }, { field: 'event.category', equals: 'file' }, { field: 'network.protocol', equals: 'http' }],
    text:
      // EVE gives fileinfo the packet direction of the data (src is usually the
      // server for a download), so the sentence does not claim a direction.
      `File {file.name}[ ({file.size} bytes)] transferred over HTTP[ from host {url.domain}] between {source.ip|host}[:{source.port}] and {destination.ip|host}[:{destination.port}]` +
      '[, type {file.mime_type}][, sha256 {file.hash.sha256}][, md5 {file.hash.md5}].',
    relationships: [
      { source: 'file.name', verb: 'transferred between', target: 'source.ip' },
      { source: 'file.name', verb: 'transferred between', target: 'destination.ip' },
    ],
  },
  // ---- other protocols (ecs profile: event.type protocol) ----
  protocol('smb', 'SMB[ {jizo.smb.command}][ of {jizo.smb.filename}][ on share {jizo.smb.share}][, status {jizo.smb.status}]', '[ as {user.name}]'),
  protocol('dcerpc', 'DCERPC[ {jizo.dcerpc.request}][ ({jizo.dcerpc.interfaces.uuid})]', ''),
  protocol('ssh', 'SSH', '[, client {jizo.ssh.client.software_version}][, server {jizo.ssh.server.software_version}]'),
  protocol('smtp', 'SMTP', '[: mail from {email.from.address}][ to {email.to.address}][ subject "{email.subject}"][, HELO {jizo.smtp.helo}]'),
  protocol('krb5', 'Kerberos[ {jizo.krb5.msg_type}]', '[ for {user.name}[@{user.domain}]][ service {jizo.krb5.sname}][, error {jizo.krb5.error_code}]', {
    source: 'source.ip',
    verb: 'authenticated as',
    target: 'user.name',
  }),
  protocol('dhcp', 'DHCP[ {jizo.dhcp.dhcp_type}][ {jizo.dhcp.type}]', '[ for {source.mac}][, assigned {jizo.dhcp.assigned_ip}][, host name {jizo.dhcp.hostname}]'),
  protocol('ftp', 'FTP[ {jizo.ftp.command}[ {jizo.ftp.command_data}]]', '[ as {user.name}][, reply {jizo.ftp.completion_code}]'),
  protocol('rdp', 'RDP[ {jizo.rdp.event_type}]', '[, client {jizo.rdp.client.client_name}][ as {user.name}]'),
  protocol('sip', 'SIP[ {jizo.sip.method}][ {jizo.sip.uri}]', '[, response {jizo.sip.code}[ {jizo.sip.reason}]]'),
  protocol('snmp', 'SNMP[ v{jizo.snmp.version}][ {jizo.snmp.pdu_type}]', '[, community "{jizo.snmp.community}"]'),
  protocol('mqtt', 'MQTT', '[ client {jizo.mqtt.connect.client_id}][, topic {jizo.mqtt.publish.topic}]'),
  protocol('nfs', 'NFS[ {jizo.nfs.procedure}]', '[ of {jizo.nfs.filename}][, status {jizo.nfs.status}]'),
  protocol('tftp', 'TFTP[ {jizo.tftp.packet}]', '[ of {jizo.tftp.file}]'),
  protocol('pgsql', 'PostgreSQL', '[ as {user.name}][: {jizo.pgsql.request.simple_query}]'),
  protocol('ike', 'IKE[ v{jizo.ike.version_major}][ {jizo.ike.exchange_type}]', ''),
  protocol('ldap', 'LDAP[ {jizo.ldap.request.operation}]', ''),
  protocol('rfb', 'VNC (RFB)', '[ as {user.name}]'),
  protocol('dnp3', 'DNP3', ''),
  protocol('modbus', 'Modbus', ''),
  protocol('arp', 'ARP[ operation {jizo.arp.operation}]', '[, sender MAC {source.mac}][, target MAC {destination.mac}]'),
  protocol('http2', 'HTTP/2', '[ {http.request.method} {url.original}][, status {http.response.status_code}]'),
  unknownType('diameter', 'Diameter[ {jizo.diameter.command_code}]'),
  unknownType('ikev2', 'IKEv2[ {jizo.ikev2.exchange_type}]'),
  unknownType('dnp3', 'DNP3[ {jizo.dnp3.type}]'),
  unknownType('modbus', 'Modbus[ {jizo.modbus.request.function_code}]'),
  unknownType('websocket', 'WebSocket[ {jizo.websocket.opcode}]'),
  unknownType('bittorrent_dht', 'BitTorrent DHT'),
  {
    id: 'protocol',
    eventTypes: ['other protocols'],
    when: [{ field: 'event.type', equals: 'protocol' }],
    text: `{network.protocol|upper} transaction${FROM_TO}[ over {network.transport}].`,
    relationships: [CONNECTED],
  },
  // ---- sensor events ----
  {
    id: 'anomaly',
    eventTypes: ['anomaly'],
    when: [{ field: 'event.action', exists: true }, { field: 'jizo.anomaly', exists: true }],
    text: `Anomaly {event.action}[ ({jizo.anomaly.type}[, layer {jizo.anomaly.layer}])]${FROM_TO}${OVER}.`,
  },
  {
    id: 'drop',
    eventTypes: ['drop'],
    when: [{ field: 'event.type', equals: 'denied' }, { field: 'event.kind', equals: 'event' }],
    text: `Packet dropped[ ({jizo.drop.reason})]${FROM_TO}${OVER}.`,
    relationships: [CONNECTED],
  },
  {
    id: 'stats',
    eventTypes: ['stats'],
    when: [{ field: 'event.kind', equals: 'metric' }],
    text: STATS,
  },
  {
    // Counters whose event was not recognised as a metric (a damaged event_type key).
    id: 'stats-object',
    eventTypes: ['stats'],
    when: [{ field: 'jizo.stats', exists: true }],
    text: STATS,
  },
  {
    // An event type this version does not know, kept whole under jizo.<event_type>: its protocol is what can be said.
    id: 'app-protocol',
    eventTypes: ['unknown types'],
    when: [{ field: 'network.protocol', exists: true }],
    text: `{network.protocol|upper} event${FROM_TO}[ over {network.transport}].`,
    relationships: [CONNECTED],
  },
  // ---- fallbacks ----
  {
    id: 'network',
    eventTypes: ['any'],
    when: [],
    // jizo.event_type (ecs profile) names what kind of record it was: frame, stream_tcp, packet ...
    text: `Traffic${OVER} from ${SRC}[ to ${DST}][ (EVE {jizo.event_type} event)].`,
    relationships: [CONNECTED],
  },
  {
    id: 'generic',
    eventTypes: ['any'],
    when: [],
    text: 'Sensor event[ ({jizo.event_type})][ of {observer.hostname}][ on interface {observer.ingress.interface.name}][ at {@timestamp}].',
  },
];

/** A template for one application protocol of the `ecs` profile: "<head> from A to B<tail>." */
function protocol(name: string, head: string, tail: string, relationship?: RelationshipTemplate): DescriptionTemplate {
  return {
    id: name,
    eventTypes: [name],
    when: [{ field: 'network.protocol', equals: name }, { field: 'event.type', equals: 'protocol' }],
    text: `${head}${FROM_TO}${tail}.`,
    relationships: relationship === undefined ? [CONNECTED] : [CONNECTED, relationship],
  };
}

/**
 * A template for an event type the `ecs` profile keeps whole under
 * `jizo.<type>` (types it does not map): says the protocol and endpoints.
 */
function unknownType(name: string, head: string): DescriptionTemplate {
  return {
    id: `${name}-object`,
    eventTypes: [name],
    when: [{ field: `jizo.${name}`, exists: true }],
    text: `${head}${FROM_TO}${OVER}.`,
    relationships: [CONNECTED],
  };
}
