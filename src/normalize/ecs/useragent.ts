/**
 * `user_agent.*` from a User-Agent header, parsed by ua-parser-js 1.x (MIT;
 * 2.x is AGPL) plus the non-browser clients of TOOLS, behind a bounded
 * cache: a sensor sees few distinct agents, so the parse (and the TOOLS
 * regexes) run once per distinct User-Agent, not per event.
 */
import { lazyModule } from './lazy.js';
import { Lru } from './lru.js';
// a type only: the module itself is loaded on first use
import type * as UaParser from 'ua-parser-js';

const uaParser = lazyModule<typeof UaParser>('ua-parser-js');

type UserAgent = Record<string, unknown>;
// ua-parser-js 1.x reads the first 500 characters only (UA_MAX_LENGTH): so does the cache key.
const UA_MAX_LENGTH = 500;
const cache = new Lru<UserAgent>(1024, UA_MAX_LENGTH);

/**
 * Non-browser clients ua-parser-js 1.x does not name, and an NDR sees in
 * attacks: command-line tools, HTTP libraries, Windows' BITS and PowerShell,
 * scanners. Names as Elastic's user_agent processor (uap-core regexes.yaml)
 * gives them; the version is the product token's.
 */
const TOOLS: readonly [RegExp, string][] = [
  [/(?:^|[\s(;])curl\/(\d[\w.-]*)/i, 'curl'],
  [/(?:^|[\s(;])Wget\/(\d[\w.-]*)/i, 'Wget'],
  [/python-requests\/(\d[\w.]*)/i, 'Python Requests'],
  [/Go-http-client\/(\d[\w.]*)/i, 'Go-http-client'],
  [/Microsoft BITS\/(\d[\w.]*)/i, 'BITS'],
  [/sqlmap\/(\d[\w.]*)/i, 'sqlmap'],
  [/(?:Windows)?PowerShell\/(\d[\w.]*)/i, 'PowerShell'],
];

function tool(original: string): [string, string] | undefined {
  for (const [re, name] of TOOLS) {
    const m = re.exec(original);
    if (m !== null) return [name, m[1]!];
  }
  return undefined;
}

function compute(original: string): UserAgent {
  const r = new (uaParser().UAParser)(original).getResult();
  const ua: UserAgent = {};
  const t = tool(original);
  if (t !== undefined) {
    ua.name = t[0];
    ua.version = t[1];
  } else {
    if (r.browser.name) ua.name = r.browser.name;
    if (r.browser.version) ua.version = r.browser.version;
  }
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
