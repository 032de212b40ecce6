/**
 * `http` object (EVE doc, "Event type: HTTP"; HTTP/2 too: app_proto http2 with
 * an `http2` sub-object): url.*, http.*, user_agent.*, destination.domain.
 */
import type { JsonObject } from '../../eve/json.js';
import { splitUrl } from '../url.js';
import { asObject, long, str } from '../values.js';
import { forwardedIp } from './alert.js';
import { type Ecs, type Objects, attachJizo, jizo } from './build.js';
import { type KnownKeys, fits, knownKeys, putPruned, setKey } from './keep.js';
import { putDomainParts } from './domain.js';
import { userAgent } from './useragent.js';


/**
 * Request and response headers Suricata logs by name when configured
 * (suricata.yaml `outputs.eve-log.types.http.custom`; EVE doc "HTTP custom fields").
 */
const CUSTOM_HEADERS: ReadonlySet<string> = new Set([
  'accept', 'accept_charset', 'accept_encoding', 'accept_language', 'accept_datetime', 'authorization',
  'cache_control', 'cookie', 'from', 'max_forwards', 'origin', 'pragma', 'proxy_authorization', 'range', 'te', 'via',
  'x_requested_with', 'dnt', 'x_forwarded_proto', 'x_authenticated_user', 'x_flash_version', 'accept_range', 'age',
  'allow', 'connection', 'content_encoding', 'content_language', 'content_length', 'content_location', 'content_md5',
  'content_type', 'date', 'etag', 'expires', 'last_modified', 'link', 'location', 'proxy_authenticate', 'referer',
  'refresh', 'retry_after', 'set_cookie', 'trailer', 'transfer_encoding', 'upgrade', 'vary', 'warning',
  'www_authenticate', 'x_bluecoat_via',
]);

const HTTP_KEYS: KnownKeys = knownKeys({
  hostname: 'str', url: 'str', http_user_agent: 'str', http_content_type: 'str', http_refer: 'str', http_method: 'str',
  protocol: 'str', status: 'int', length: 'int', redirect: 'str', http_port: 'int', xff: 'str', content_range: 'obj',
  request_headers: 'list', response_headers: 'list', http_request_body: 'str', http_request_body_printable: 'str',
  http_response_body: 'str', http_response_body_printable: 'str', http2: 'obj', version: 'str', request_length: 'int',
  response_length: 'int', http_server_agent: 'str', server: 'str', true_client_ip: 'str', org_src_ip: 'str',
});

// "HTTP/1.1" -> "1.1" (ECS http.version: "HTTP version").
const versions = new Map<string, string>();
function httpVersion(p: string): string {
  let v = versions.get(p);
  if (v === undefined) {
    const slash = p.indexOf('/');
    v = slash === -1 ? p : p.slice(slash + 1);
    if (versions.size < 32) versions.set(p, v);
  }
  return v;
}

export function mapHttp(s: Ecs, h: JsonObject): void {
  const doc = s.doc as Objects;
  // Attached at the end only when it got a field: deleting an empty one would make the document slow.
  const http = doc.http ?? {};
  const request: Record<string, unknown> = {};
  const response: Record<string, unknown> = {};

  const hostname = str(h.hostname);
  // A fully qualified name may end with the root dot (`example.com.`): ECS
  // domains are written without it, as for the TLS SNI.
  let host = hostname?.toLowerCase();
  if (host !== undefined && host.length > 1 && host.endsWith('.')) host = host.slice(0, -1);
  if (host !== undefined) {
    (doc.destination ??= {}).domain = host;
    (s.hosts ??= []).push(host);
  }
  const original = str(h.url);
  if (original !== undefined) {
    const parts = splitUrl(original);
    const url: Record<string, unknown> = { original };
    if (parts.scheme !== undefined) {
      // An absolute URL (proxy request, CONNECT): it is the full URL too.
      url.full = original;
      url.scheme = parts.scheme;
    }
    const domain = parts.domain ?? host;
    if (domain !== undefined) {
      url.domain = domain;
      putDomainParts(url, domain);
      if (domain !== host) (s.hosts ??= []).push(domain);
    }
    const port = parts.port ?? long(h.http_port);
    if (port !== undefined) url.port = port;
    if (parts.username !== undefined) url.username = parts.username;
    if (parts.path !== undefined) {
      url.path = parts.path;
      const slash = parts.path.lastIndexOf('/');
      const dot = parts.path.lastIndexOf('.');
      // ECS url.extension: without the dot, only when the last path segment has one.
      if (dot > slash + 1 && dot < parts.path.length - 1) url.extension = parts.path.slice(dot + 1);
    }
    if (parts.query !== undefined) url.query = parts.query;
    if (parts.fragment !== undefined) url.fragment = parts.fragment;
    (doc as Record<string, unknown>).url = url;
  }

  const method = str(h.http_method);
  if (method !== undefined) request.method = method;
  const referrer = str(h.http_refer);
  if (referrer !== undefined) request.referrer = referrer;
  const reqBytes = long(h.request_length);
  if (reqBytes !== undefined) request.bytes = reqBytes;
  const reqBody = str(h.http_request_body_printable);
  if (reqBody !== undefined) request.body = { content: reqBody };

  const status = long(h.status);
  if (status !== undefined) {
    response.status_code = status;
    // event.outcome from the status, for HTTP transactions only (an alert's outcome is not the response's).
    if (s.type === 'http') (doc.event as Record<string, unknown>).outcome = Number(status) < 400 ? 'success' : 'failure';
  }
  const length = long(h.length);
  // EVE `length`: size of the response body (libhtp response_message_len).
  if (length !== undefined) response.body = { bytes: length };
  const mime = str(h.http_content_type);
  if (mime !== undefined) response.mime_type = mime;
  const respBytes = long(h.response_length);
  if (respBytes !== undefined) response.bytes = respBytes;
  const respBody = str(h.http_response_body_printable);
  if (respBody !== undefined) ((response.body ??= {}) as Record<string, unknown>).content = respBody;

  for (const _ in request) {
    http.request = request;
    break;
  }
  for (const _ in response) {
    http.response = response;
    break;
  }
  const protocol = str(h.protocol);
  // EVE `version`: "HTTP major version: 2 when HTTP/2 is used" (EVE schema http.version).
  const major = str(h.version);
  if (protocol !== undefined) http.version = httpVersion(protocol);
  else if (major !== undefined) http.version = major;
  else if (asObject(h.http2) !== undefined) http.version = '2';

  const ua = str(h.http_user_agent);
  if (ua !== undefined) doc.user_agent = userAgent(ua);

  const xff = str(h.xff);
  if (xff !== undefined) forwardedIp(s, xff);
  custom(s, h);
  if (doc.http === undefined) for (const _ in http) {
    doc.http = http;
    break;
  }
}

/** HTTP fields without an ECS place (jizo.http, created only when one is there). */
function custom(s: Ecs, h: JsonObject): void {
  const j: Record<string, unknown> = {};
  const redirect = str(h.redirect);
  if (redirect !== undefined) j.redirect = redirect;
  const xff = str(h.xff);
  if (xff !== undefined) j.xff = xff;
  const port = long(h.http_port);
  if (port !== undefined) j.http_port = port;
  const server = str(h.server);
  if (server !== undefined) j.server = server;
  // Jizo's own key: the Server header of the response.
  const serverAgent = str(h.http_server_agent);
  if (serverAgent !== undefined) j.server_agent = serverAgent;
  const trueClientIp = str(h.true_client_ip);
  if (trueClientIp !== undefined) j.true_client_ip = trueClientIp;
  // The major version when http.version came from `protocol` and says otherwise.
  const major = str(h.version);
  if (major !== undefined && typeof h.protocol === 'string' && h.protocol !== '' && httpVersion(h.protocol) !== major) j.version = major;
  const orgSrcIp = str(h.org_src_ip);
  if (orgSrcIp !== undefined) j.org_src_ip = orgSrcIp;
  const requestBody = str(h.http_request_body);
  if (requestBody !== undefined) j.request_body = requestBody;
  const responseBody = str(h.http_response_body);
  if (responseBody !== undefined) j.response_body = responseBody;
  if (Array.isArray(h.request_headers)) putPruned(j, 'request_headers', h.request_headers);
  if (Array.isArray(h.response_headers)) putPruned(j, 'response_headers', h.response_headers);
  const cr = asObject(h.content_range);
  if (cr !== undefined) putPruned(j, 'content_range', cr);
  // One pass over the keys: custom headers, and the keys no mapping knows.
  let headers: Record<string, unknown> | undefined;
  let rest: Record<string, unknown> | undefined;
  for (const k in h) {
    if (CUSTOM_HEADERS.has(k) || (k === 'content_range' && cr === undefined)) {
      const v = str(h[k]);
      if (v !== undefined) (headers ??= {})[k] = v;
      else putPruned((rest ??= {}), k, h[k]);
    } else if (!fits(h[k]!, HTTP_KEYS.get(k) ?? 'none')) putPruned((rest ??= {}), k, h[k]);
  }
  if (headers !== undefined) j.headers = headers;
  if (rest !== undefined) for (const _ in rest) {
    setKey(jizo(s, 'unmapped'), 'http', rest);
    break;
  }
  const h2 = asObject(h.http2);
  if (h2 !== undefined) putPruned(j, 'http2', h2);
  for (const _ in j) {
    attachJizo(s, 'http', j);
    break;
  }
}
