/**
 * Fields of the `sekoia` profile: the "Extracted Fields" table of the
 * documented Jizo integration, with its types, plus the inferred fields its
 * samples show (message, source/destination.address, related.ip, url.path,
 * url.query).
 */
import type { FieldDef } from '../types.js';

export const SEKOIA_FIELDS: readonly FieldDef[] = [
  { name: '@timestamp', type: 'date', description: 'Date/time when the event originated.' },
  { name: 'action.properties.category', type: 'keyword', description: 'Category of the signature that fired.', custom: true },
  { name: 'action.properties.severity', type: 'keyword', description: 'Signature severity from the rule metadata (Major, Minor ...).', custom: true },
  { name: 'action.properties.signature', type: 'keyword', description: 'Name of the signature that fired.', custom: true },
  { name: 'action.properties.signature_id', type: 'keyword', description: 'Identifier of the signature that fired.', custom: true },
  { name: 'destination.address', type: 'keyword', description: 'Address of the destination (inferred from destination.ip).' },
  { name: 'destination.bytes', type: 'long', description: 'Bytes sent from the destination to the source.' },
  { name: 'destination.ip', type: 'ip', description: 'IP address of the destination.' },
  { name: 'destination.packets', type: 'long', description: 'Packets sent from the destination to the source.' },
  { name: 'destination.port', type: 'long', description: 'Port of the destination.' },
  { name: 'event.action', type: 'keyword', description: 'The action captured by the event.' },
  { name: 'event.category', type: 'keyword', description: 'Event category. The second categorization field in the hierarchy.', array: true },
  { name: 'event.kind', type: 'keyword', description: 'The kind of the event. The highest categorization field in the hierarchy.' },
  { name: 'event.severity', type: 'long', description: 'Numeric severity of the event.' },
  { name: 'event.start', type: 'date', description: 'Date when the event started or when the activity was first observed.' },
  { name: 'event.type', type: 'keyword', description: 'Event type. The third categorization field in the hierarchy.', array: true },
  { name: 'host.ip', type: 'ip', description: 'Host ip addresses.', array: true },
  { name: 'http.response.bytes', type: 'long', description: 'Total size in bytes of the response (body and headers).' },
  { name: 'http.response.status_code', type: 'long', description: 'HTTP response status code.' },
  { name: 'jizo.flow.id', type: 'keyword', description: 'Flow identifier given by the sensor (flow_id), every digit kept.', custom: true },
  { name: 'message', type: 'match_only_text', description: 'The EVE payload exactly as received.' },
  { name: 'network.protocol', type: 'keyword', description: 'Application protocol name.' },
  { name: 'network.transport', type: 'keyword', description: 'Transport protocol name.' },
  { name: 'observer.ingress.interface.name', type: 'keyword', description: 'Interface name.' },
  { name: 'related.ip', type: 'ip', description: 'All of the IPs seen on the event (inferred).', array: true },
  { name: 'source.address', type: 'keyword', description: 'Address of the source (inferred from source.ip).' },
  { name: 'source.bytes', type: 'long', description: 'Bytes sent from the source to the destination.' },
  { name: 'source.ip', type: 'ip', description: 'IP address of the source.' },
  { name: 'source.packets', type: 'long', description: 'Packets sent from the source to the destination.' },
  { name: 'source.port', type: 'long', description: 'Port of the source.' },
  { name: 'url.original', type: 'wildcard', description: 'Unmodified original url as seen in the event source.' },
  { name: 'url.path', type: 'wildcard', description: 'Path of the request (inferred from url.original).' },
  { name: 'url.query', type: 'keyword', description: 'Query string of the request (inferred from url.original).' },
];
