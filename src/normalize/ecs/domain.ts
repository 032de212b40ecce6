/**
 * Registered domain, subdomain and top-level domain of a host name, from the
 * public suffix list (tldts ships it; ECS `dns.question.registered_domain`:
 * "the highest registered domain, stripped of the subdomain"; `top_level_domain`
 * is the effective TLD, e.g. "co.uk").
 */
import { lazyModule } from './lazy.js';
import { Lru } from './lru.js';
// a type only: the module itself is loaded on first use
import type * as Tldts from 'tldts';

const tldts = lazyModule<typeof Tldts>('tldts');

interface DomainParts {
  registered_domain?: string;
  subdomain?: string;
  top_level_domain?: string;
}

const NONE: DomainParts = Object.freeze({});
const cache = new Lru<DomainParts>(4096, 253);

function compute(host: string): DomainParts {
  const r = tldts().parse(host, { allowPrivateDomains: false, extractHostname: false, validateHostname: false });
  if (r.isIp || r.domain === null) return NONE;
  const parts: DomainParts = { registered_domain: r.domain };
  if (r.subdomain) parts.subdomain = r.subdomain;
  if (r.publicSuffix) parts.top_level_domain = r.publicSuffix;
  return Object.freeze(parts);
}

/** The public-suffix split of a lower-case host name (cached). Empty for IPs and unknown suffixes. */
function domainParts(host: string): DomainParts {
  return cache.get(host, compute);
}

/** Copies the split of `host` into `target` (`registered_domain`, `subdomain`, `top_level_domain`). */
export function putDomainParts(target: Record<string, unknown>, host: string): void {
  const p = domainParts(host);
  if (p.registered_domain !== undefined) target.registered_domain = p.registered_domain;
  if (p.subdomain !== undefined) target.subdomain = p.subdomain;
  if (p.top_level_domain !== undefined) target.top_level_domain = p.top_level_domain;
}
