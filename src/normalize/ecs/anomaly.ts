/**
 * `anomaly` object (EVE doc, "Event type: Anomaly"): what the decoder, stream
 * engine or an app-layer parser found wrong; the event name is the action.
 */
import type { JsonObject } from '../../eve/json.js';
import { keyword, long, str } from '../values.js';
import { type Ecs, jizo, sub } from './build.js';
import { keepUnmapped, type KnownKeys, knownKeys } from './keep.js';
import { appProtocol } from './common.js';

const ANOMALY_KEYS: KnownKeys = knownKeys({ type: 'str', event: 'str', code: 'int', layer: 'str', app_proto: 'scalar' });

export function mapAnomaly(s: Ecs, a: JsonObject): void {
  const doc = s.doc as Record<string, unknown>;
  const name = str(a.event);
  if (name !== undefined) (doc.event as Record<string, unknown>).action = name;
  const j = jizo(s, 'anomaly');
  const type = str(a.type);
  if (type !== undefined) j.type = type;
  const code = long(a.code);
  if (code !== undefined) j.code = code;
  const layer = str(a.layer);
  if (layer !== undefined) j.layer = layer;
  const ap = keyword(a.app_proto);
  if (ap !== undefined) {
    j.app_proto = ap;
    // An app-layer anomaly names its protocol here rather than at the top level.
    const network = sub(doc, 'network');
    const p = appProtocol(ap);
    if (network.protocol === undefined && p !== undefined) network.protocol = p;
  }
  keepUnmapped(s, 'anomaly', a, ANOMALY_KEYS);
}
