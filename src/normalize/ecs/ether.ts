/**
 * `ether` (EVE doc "Eve JSON Output", `ethernet: yes`; EVE schema ether:
 * src_mac, dest_mac, src_macs, dest_macs, ether_type).
 */
import type { JsonObject } from '../../eve/json.js';
import { long } from '../values.js';
import { type Ecs, attachJizo, jizo, keywords, mac, sub } from './build.js';
import { pruned, setKey } from './keep.js';

/**
 * `ether` (EVE doc, "Ethernet"; schema: src_mac, dest_mac, src_macs,
 * dest_macs, ether_type): the packet's MACs go to source/destination.mac,
 * every MAC of a flow (Suricata 7+) and the rest under jizo.ether.
 */
export function mapEther(s: Ecs, ether: JsonObject): void {
  const doc = s.doc as Record<string, unknown>;
  let je: Record<string, unknown> | undefined;
  let rest: Record<string, unknown> | undefined;
  for (const k of Object.keys(ether)) {
    const v = ether[k]!;
    switch (k) {
      case 'src_mac':
      case 'dest_mac':
        // A value that is not a MAC is kept as written.
        if (mac(v) === undefined && v !== null && v !== '') setKey((je ??= {}), k, v);
        break;
      case 'src_macs':
      case 'dest_macs': {
        const list = keywords(v);
        if (list === undefined) break;
        (je ??= {})[k] = list;
        const side = k === 'src_macs' ? 'source' : 'destination';
        if (!(doc[side] as Record<string, unknown> | undefined)?.mac && list[0] !== undefined) putMac(s, side, list[0]);
        break;
      }
      case 'ether_type': {
        const t = long(v);
        if (t !== undefined) (je ??= {}).ether_type = t;
        else if (v !== null && v !== '') setKey((je ??= {}), k, v);
        break;
      }
      default: {
        // A key this version does not know.
        const x = pruned(v);
        if (x !== undefined) setKey((rest ??= {}), k, x);
      }
    }
  }
  if (je !== undefined) attachJizo(s, 'ether', je);
  if (rest !== undefined) setKey(jizo(s, 'unmapped'), 'ether', rest);
}

function putMac(s: Ecs, side: 'source' | 'destination', m: string): void {
  const mm = mac(m);
  if (mm !== undefined) sub(s.doc as Record<string, unknown>, side).mac = mm;
}
