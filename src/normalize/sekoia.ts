/**
 * The `sekoia` profile: the documented Jizo integration, field for field
 * (spec "Extracted Fields" table plus the inferred fields its samples show:
 * source/destination.address, related.ip, url.path, url.query).
 *
 * This runs once per event on the hot path, so every output object is built
 * with named property stores in a fixed order (V8 keeps one hidden class per
 * shape, and JSON.stringify walks it fast) and created only when it gets a
 * field; the key order is the order of the fields in the output.
 */
import { isUnsafeNumber, type JsonObject } from '../eve/json.js';
import { eventTimestamp } from './common.js';
import type { Context, EcsEventFields, JizoDocument, Profile } from './types.js';
import { splitUrl } from './url.js';
import { asObject, date, first, flowIdKeyword, ip, keyword, long, str } from './values.js';

export const sekoiaProfile: Profile = Object.assign(mapSekoia, { readsUnsafeInteger });

function mapSekoia(ctx: Context): JizoDocument {
  const e: JsonObject = ctx.decoded.event;
  // Named reads (e.alert), not obj(e, 'alert'): a helper reading a key it is given makes every read a generic one.
  const alert = asObject(e.alert);
  const flow = asObject(e.flow);
  const http = asObject(e.http);

  const event: EcsEventFields = {};
  if (alert !== undefined) {
    const action = keyword(alert.action);
    if (action !== undefined) event.action = action;
    const severity = long(alert.severity);
    if (severity !== undefined) event.severity = severity as number;
  }
  event.category = ['network'];
  if (e.event_type === 'alert') event.kind = 'alert';
  if (flow !== undefined) {
    const start = date(flow.start);
    if (start !== undefined) event.start = start;
  }
  event.type = ['connection'];

  const doc: JizoDocument = { message: ctx.decoded.payload, event, '@timestamp': eventTimestamp(e, ctx) };
  if (alert !== undefined) alertProperties(doc, alert);

  const srcIp = ip(e.src_ip);
  const dstIp = ip(e.dest_ip);
  if (srcIp === undefined && e.src_ip !== undefined) ctx.warnings.push('src_ip is not an IP address');
  if (dstIp === undefined && e.dest_ip !== undefined) ctx.warnings.push('dest_ip is not an IP address');

  const destination = endpoint(dstIp, flow?.bytes_toclient, flow?.pkts_toclient, e.dest_port);
  if (destination !== undefined) doc.destination = destination;

  // The documented integration sets host.ip to src_ip, as a single value.
  if (srcIp !== undefined) doc.host = { ip: srcIp as unknown as string[] };

  const flowId = flowIdKeyword(e.flow_id, ctx.decoded.payload);
  if (flowId !== undefined) doc.jizo = { flow: { id: flowId } };

  const protocol = keyword(e.app_proto);
  const transport = keyword(e.proto);
  if (protocol !== undefined || transport !== undefined) {
    const network: Record<string, string> = {};
    if (protocol !== undefined) network.protocol = protocol;
    if (transport !== undefined) network.transport = transport;
    doc.network = network;
  }

  const iface = keyword(e.in_iface);
  if (iface !== undefined) doc.observer = { ingress: { interface: { name: iface } } };

  if (srcIp !== undefined) doc.related = { ip: dstIp === undefined || dstIp === srcIp ? [srcIp] : [srcIp, dstIp] };
  else if (dstIp !== undefined) doc.related = { ip: [dstIp] };

  const source = endpoint(srcIp, flow?.bytes_toserver, flow?.pkts_toserver, e.src_port);
  if (source !== undefined) doc.source = source;

  if (http !== undefined) httpFields(doc, http);
  return doc;
}

function alertProperties(doc: JizoDocument, alert: JsonObject): void {
  const category = keyword(alert.category);
  const severity = keyword(first(asObject(alert.metadata)?.signature_severity));
  const signature = keyword(alert.signature);
  const signatureId = keyword(alert.signature_id);
  if (category === undefined && severity === undefined && signature === undefined && signatureId === undefined) return;
  const properties: Record<string, string> = {};
  if (category !== undefined) properties.category = category;
  if (severity !== undefined) properties.severity = severity;
  if (signature !== undefined) properties.signature = signature;
  if (signatureId !== undefined) properties.signature_id = signatureId;
  doc.action = { properties };
}

/** source.* / destination.*: address, bytes, ip, packets, port; undefined when none is set. */
function endpoint(
  addr: string | undefined,
  bytesValue: JsonObject[string] | undefined,
  packetsValue: JsonObject[string] | undefined,
  portValue: JsonObject[string] | undefined,
): Record<string, unknown> | undefined {
  const bytes = long(bytesValue);
  const packets = long(packetsValue);
  const port = long(portValue);
  if (addr === undefined && bytes === undefined && packets === undefined && port === undefined) return undefined;
  const o: Record<string, unknown> = {};
  if (addr !== undefined) o.address = addr;
  if (bytes !== undefined) o.bytes = bytes;
  if (addr !== undefined) o.ip = addr;
  if (packets !== undefined) o.packets = packets;
  if (port !== undefined) o.port = port;
  return o;
}

function httpFields(doc: JizoDocument, http: JsonObject): void {
  const bytes = long(http.response_length);
  const status = long(http.status);
  if (bytes !== undefined || status !== undefined) {
    const response: Record<string, unknown> = {};
    if (bytes !== undefined) response.bytes = bytes;
    if (status !== undefined) response.status_code = status;
    doc.http = { response };
  }
  const original = str(http.url);
  if (original !== undefined) {
    const parts = splitUrl(original);
    const url: Record<string, unknown> = { original };
    if (parts.path !== undefined) url.path = parts.path;
    if (parts.query !== undefined) url.query = parts.query;
    doc.url = url;
  }
}

/**
 * True when a value this profile reads as a number or a keyword is an integer
 * JSON.parse may have rounded. Every value read through long() or keyword()
 * above must be listed here (a test puts an integer beyond 2^53 in each field
 * of real events and compares with a lossless parse).
 */
function readsUnsafeInteger(e: JsonObject): boolean {
  if (isUnsafeNumber(e.flow_id) || isUnsafeNumber(e.src_port) || isUnsafeNumber(e.dest_port)) return true;
  if (isUnsafeNumber(e.app_proto) || isUnsafeNumber(e.proto) || isUnsafeNumber(e.in_iface)) return true;
  const alert = asObject(e.alert);
  if (
    alert !== undefined &&
    (isUnsafeNumber(alert.action) ||
      isUnsafeNumber(alert.severity) ||
      isUnsafeNumber(alert.category) ||
      isUnsafeNumber(alert.signature) ||
      isUnsafeNumber(alert.signature_id) ||
      isUnsafeNumber(first(asObject(alert.metadata)?.signature_severity)))
  ) {
    return true;
  }
  const flow = asObject(e.flow);
  if (
    flow !== undefined &&
    (isUnsafeNumber(flow.bytes_toserver) ||
      isUnsafeNumber(flow.bytes_toclient) ||
      isUnsafeNumber(flow.pkts_toserver) ||
      isUnsafeNumber(flow.pkts_toclient))
  ) {
    return true;
  }
  const http = asObject(e.http);
  return http !== undefined && (isUnsafeNumber(http.response_length) || isUnsafeNumber(http.status));
}
