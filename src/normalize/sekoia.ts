/**
 * The `sekoia` profile: the documented Jizo integration, field for field
 * (spec "Extracted Fields" table plus the inferred fields its samples show:
 * source/destination.address, related.ip, url.path, url.query).
 */
import type { EcsEvent } from '@elastic/ecs';
import type { JsonObject } from '../eve/json.js';
import { eventTimestamp } from './common.js';
import type { Context, JizoDocument } from './types.js';
import { splitUrl } from './url.js';
import { addUnique, date, first, ip, keyword, long, obj, put, str } from './values.js';

export function sekoiaProfile(ctx: Context): JizoDocument {
  const e: JsonObject = ctx.decoded.event;
  const alert = obj(e, 'alert');
  const flow = obj(e, 'flow');
  const http = obj(e, 'http');

  const event: EcsEvent = {};
  if (alert !== undefined) {
    put(event, 'action', keyword(alert.action));
    put(event, 'severity', long(alert.severity));
  }
  event.category = ['network'];
  if (e.event_type === 'alert') event.kind = 'alert';
  if (flow !== undefined) put(event, 'start', date(flow.start));
  event.type = ['connection'];

  const doc: JizoDocument = { message: ctx.decoded.payload, event, '@timestamp': eventTimestamp(e, ctx) };

  if (alert !== undefined) {
    const properties: Record<string, string> = {};
    put(properties, 'category', keyword(alert.category));
    put(properties, 'severity', keyword(first(obj(alert, 'metadata')?.signature_severity)));
    put(properties, 'signature', keyword(alert.signature));
    put(properties, 'signature_id', keyword(alert.signature_id));
    if (hasKeys(properties)) doc.action = { properties };
  }

  const srcIp = ip(e.src_ip);
  const dstIp = ip(e.dest_ip);
  const related: string[] = [];
  addUnique(related, srcIp);
  addUnique(related, dstIp);
  if (srcIp === undefined && e.src_ip !== undefined) ctx.warnings.push('src_ip is not an IP address');
  if (dstIp === undefined && e.dest_ip !== undefined) ctx.warnings.push('dest_ip is not an IP address');

  const destination: Record<string, unknown> = {};
  put(destination, 'address', dstIp);
  put(destination, 'bytes', flow && long(flow.bytes_toclient));
  put(destination, 'ip', dstIp);
  put(destination, 'packets', flow && long(flow.pkts_toclient));
  put(destination, 'port', long(e.dest_port));
  if (hasKeys(destination)) doc.destination = destination;

  // The documented integration sets host.ip to src_ip, as a single value.
  if (srcIp !== undefined) doc.host = { ip: srcIp as unknown as string[] };

  const flowId = keyword(e.flow_id);
  if (flowId !== undefined) doc.jizo = { flow: { id: flowId } };

  const network: Record<string, unknown> = {};
  put(network, 'protocol', keyword(e.app_proto));
  put(network, 'transport', keyword(e.proto));
  if (hasKeys(network)) doc.network = network;

  const iface = keyword(e.in_iface);
  if (iface !== undefined) doc.observer = { ingress: { interface: { name: iface } } };

  if (related.length > 0) doc.related = { ip: related };

  const source: Record<string, unknown> = {};
  put(source, 'address', srcIp);
  put(source, 'bytes', flow && long(flow.bytes_toserver));
  put(source, 'ip', srcIp);
  put(source, 'packets', flow && long(flow.pkts_toserver));
  put(source, 'port', long(e.src_port));
  if (hasKeys(source)) doc.source = source;

  if (http !== undefined) {
    const response: Record<string, unknown> = {};
    put(response, 'bytes', long(http.response_length));
    put(response, 'status_code', long(http.status));
    if (hasKeys(response)) doc.http = { response };
    const original = str(http.url);
    if (original !== undefined) {
      const parts = splitUrl(original);
      const url: Record<string, unknown> = { original };
      put(url, 'path', parts.path);
      put(url, 'query', parts.query);
      doc.url = url;
    }
  }
  return doc;
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}
