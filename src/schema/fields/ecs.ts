/**
 * Fields of the `ecs` profile.
 *
 * PROVISIONAL: a small list of core fields the `ecs` profile certainly emits
 * (issue 3). It is replaced by the complete list when the profile lands; the
 * catalog, templates, docs and tests work with any list of this shape.
 */
import type { FieldDef } from '../types.js';

export const ECS_PROFILE_FIELDS: readonly FieldDef[] = [
  { name: '@timestamp', type: 'date', description: 'Date/time when the event originated.' },
  { name: 'event.kind', type: 'keyword', description: 'The kind of the event. The highest categorization field in the hierarchy.' },
  { name: 'event.category', type: 'keyword', description: 'Event category. The second categorization field in the hierarchy.', array: true },
  { name: 'event.type', type: 'keyword', description: 'Event type. The third categorization field in the hierarchy.', array: true },
  { name: 'event.module', type: 'keyword', description: 'Name of the module this data is coming from (jizo).' },
  { name: 'event.dataset', type: 'keyword', description: 'Name of the dataset (jizo.eve).' },
  { name: 'source.ip', type: 'ip', description: 'IP address of the source.' },
  { name: 'source.port', type: 'long', description: 'Port of the source.' },
  { name: 'destination.ip', type: 'ip', description: 'IP address of the destination.' },
  { name: 'destination.port', type: 'long', description: 'Port of the destination.' },
  { name: 'network.transport', type: 'keyword', description: 'Transport protocol name, lowercase.' },
  { name: 'network.protocol', type: 'keyword', description: 'Application protocol name, lowercase.' },
  { name: 'rule.name', type: 'keyword', description: 'Name of the signature that fired.' },
  { name: 'dns.question.name', type: 'keyword', description: 'The name being queried.' },
  { name: 'tls.client.server_name', type: 'keyword', description: 'Server name indication (SNI) sent by the client.' },
  { name: 'url.original', type: 'wildcard', description: 'Unmodified original url as seen in the event source.' },
];
