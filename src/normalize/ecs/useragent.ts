/**
 * `user_agent.*` from a User-Agent header, parsed by ua-parser-js 1.x (MIT;
 * 2.x is AGPL) behind a bounded cache: a sensor sees few distinct agents.
 */
import { lazyModule } from './lazy.js';
import { Lru } from './lru.js';

const uaParser = lazyModule<typeof import('ua-parser-js')>('ua-parser-js');

type UserAgent = Record<string, unknown>;
// ua-parser-js 1.x reads the first 500 characters only (UA_MAX_LENGTH): so does the cache key.
const UA_MAX_LENGTH = 500;
const cache = new Lru<UserAgent>(1024, UA_MAX_LENGTH);

function compute(original: string): UserAgent {
  const r = new (uaParser().UAParser)(original).getResult();
  const ua: UserAgent = {};
  if (r.browser.name) ua.name = r.browser.name;
  if (r.browser.version) ua.version = r.browser.version;
  if (r.os.name) {
    const os: Record<string, string> = { name: r.os.name };
    if (r.os.version) {
      os.version = r.os.version;
      os.full = `${r.os.name} ${r.os.version}`;
    }
    ua.os = os;
  }
  // ECS user_agent.device.name is the device model ("iPhone"), when the parser knows it.
  const device = [r.device.vendor, r.device.model].filter(Boolean).join(' ');
  if (device) ua.device = { name: device };
  return ua;
}

/** The ECS user_agent object of a User-Agent string (a fresh copy each call: documents are not shared). */
export function userAgent(original: string): UserAgent {
  const parsed = cache.get(original.length > UA_MAX_LENGTH ? original.slice(0, UA_MAX_LENGTH) : original, compute);
  const ua: UserAgent = { original };
  if (parsed.name !== undefined) ua.name = parsed.name;
  if (parsed.version !== undefined) ua.version = parsed.version;
  if (parsed.os !== undefined) ua.os = { ...(parsed.os as object) };
  if (parsed.device !== undefined) ua.device = { ...(parsed.device as object) };
  return ua;
}
