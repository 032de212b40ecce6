/**
 * Splits an HTTP request target (`/a/b?c#d`) or an absolute URL
 * (`http://example.com:8080/a?b`) into ECS url parts, without `new URL()`:
 * request targets are not URLs, and EVE must be kept as seen (no percent
 * decoding, no normalisation of dots).
 */
export interface UrlParts {
  scheme?: string;
  domain?: string;
  port?: number;
  username?: string;
  path?: string;
  query?: string;
  fragment?: string;
}

const ABSOLUTE = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

export function splitUrl(original: string): UrlParts {
  const parts: UrlParts = {};
  let rest = original;
  const abs = ABSOLUTE.exec(original);
  if (abs !== null) {
    parts.scheme = abs[1]!.toLowerCase();
    rest = original.slice(abs[0].length);
    let end = rest.length;
    for (let i = 0; i < rest.length; i++) {
      const c = rest.charCodeAt(i);
      if (c === 47 || c === 63 || c === 35) {
        end = i;
        break;
      }
    }
    let authority = rest.slice(0, end);
    rest = rest.slice(end);
    const at = authority.lastIndexOf('@');
    if (at !== -1) {
      const user = authority.slice(0, at).split(':')[0];
      if (user) parts.username = user;
      authority = authority.slice(at + 1);
    }
    let host = authority;
    const portMatch = /:(\d{1,5})$/.exec(authority);
    if (portMatch !== null && !(authority.startsWith('[') && !authority.includes(']:'))) {
      host = authority.slice(0, portMatch.index);
      const port = +portMatch[1]!;
      if (port <= 65535) parts.port = port;
    }
    if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
    if (host !== '') parts.domain = host.toLowerCase();
  }
  const hash = rest.indexOf('#');
  if (hash !== -1) {
    if (hash + 1 < rest.length) parts.fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  const q = rest.indexOf('?');
  if (q !== -1) {
    if (q + 1 < rest.length) parts.query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (rest !== '') parts.path = rest;
  return parts;
}
