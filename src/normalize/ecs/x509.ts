/**
 * Certificate fields of the EVE `tls` object to the ECS x509 field set
 * (ECS "x509 Certificate Fields"): subject/issuer RDNs as arrays, serial
 * without colons, SHA-1 fingerprint upper case without colons, validity as UTC.
 */
import type { JsonObject, JsonValue } from '../../eve/json.js';
import { date, str } from '../values.js';
import { type Ecs, keywords } from './build.js';
import { Lru } from './lru.js';

const RDN: Readonly<Record<string, string>> = {
  C: 'country', CN: 'common_name', L: 'locality', O: 'organization', OU: 'organizational_unit', ST: 'state_or_province',
};

/**
 * Splits a distinguished name as Suricata prints it ("C=US, O=Let's Encrypt,
 * CN=R3"; a comma inside a value is escaped "\,") into ECS x509 name parts.
 * Attributes ECS has no field for (emailAddress, DC ...) stay in distinguished_name only.
 */
export function parseDn(dn: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let i = 0;
  const n = dn.length;
  while (i < n) {
    while (i < n && (dn.charCodeAt(i) === 32 || dn.charCodeAt(i) === 44)) i++;
    const eq = dn.indexOf('=', i);
    if (eq === -1) break;
    const attr = dn.slice(i, eq).trim();
    let j = eq + 1;
    let value = '';
    while (j < n) {
      const c = dn.charCodeAt(j);
      if (c === 92 /* \ */ && j + 1 < n) {
        value += dn[j + 1];
        j += 2;
        continue;
      }
      // A new RDN starts at ", X=" (values may hold plain commas in some outputs).
      if (c === 44 && /^,\s*[A-Za-z][A-Za-z0-9.]*=/.test(dn.slice(j, j + 40))) break;
      value += dn[j];
      j++;
    }
    i = j;
    const field = Object.hasOwn(RDN, attr) ? RDN[attr] : undefined;
    value = value.trim();
    if (field !== undefined && value !== '') (out[field] ??= []).push(value);
  }
  return out;
}

// A sensor sees the same certificates again and again.
const dnCache = new Lru<Readonly<Record<string, readonly string[]>>>(1024, 1024);

/** `x509.subject` / `x509.issuer`: the DN and its parts ({@link parseDn}, cached), with fresh arrays for each document. */
function dnObject(dn: string): Record<string, unknown> {
  const cached = dnCache.get(dn, parseDn);
  const out: Record<string, unknown> = { distinguished_name: dn };
  for (const k in cached) out[k] = cached[k]!.slice();
  return out;
}

const scratch = Buffer.allocUnsafeSlow(256);

/**
 * "0a:1b:..." -> "0A1B...": the hex digits upper case, the colons left out;
 * undefined when no text or nothing but colons (no field, as for any empty
 * value). Written byte by byte into one scratch buffer read back once
 * (replaceAll and toUpperCase built two strings, the first from one piece per
 * colon): a third of the time. Any other character takes the generic path.
 *
 * Not cached: hashing the key and the lookups cost more than this on a
 * miss (a new certificate, a new serial), and save less on a hit.
 */
function upperHex(value: JsonValue | undefined): string | undefined {
  const v = str(value);
  if (v === undefined) return undefined;
  let n = 0;
  for (let i = 0; i < v.length && n >= 0; i++) {
    const c = v.charCodeAt(i);
    if (c === 58 /* : */) continue;
    if (n === scratch.length) n = -1;
    else if ((c >= 48 && c <= 57) || (c >= 65 && c <= 70)) scratch[n++] = c;
    else if (c >= 97 && c <= 102) scratch[n++] = c - 32;
    else n = -1;
  }
  const hex = n >= 0 ? scratch.toString('latin1', 0, n) : v.replaceAll(':', '').toUpperCase();
  return hex === '' ? undefined : hex;
}

/** Certificate of one side (`tls.server` or `tls.client`) from EVE keys subject, issuerdn, serial ... */
export function certificate(s: Ecs, c: JsonObject, side: Record<string, unknown>): void {
  const x509: Record<string, unknown> = {};
  const subject = str(c.subject);
  if (subject !== undefined) {
    side.subject = subject;
    x509.subject = dnObject(subject);
  }
  const issuer = str(c.issuerdn);
  if (issuer !== undefined) {
    side.issuer = issuer;
    x509.issuer = dnObject(issuer);
  }
  const serial = upperHex(c.serial);
  if (serial !== undefined) x509.serial_number = serial;
  const sha1 = upperHex(c.fingerprint);
  if (sha1 !== undefined) {
    side.hash = { sha1 };
    (s.hashes ??= []).push(sha1);
  }
  // notbefore/notafter are UTC without offset (EVE doc, tls): toUtc reads no offset as UTC.
  const nb = date(c.notbefore);
  if (nb !== undefined) {
    side.not_before = nb;
    x509.not_before = nb;
  }
  const na = date(c.notafter);
  if (na !== undefined) {
    side.not_after = na;
    x509.not_after = na;
  }
  const san = keywords(c.subjectaltname);
  if (san !== undefined) x509.alternative_names = san;
  const cert = str(c.certificate);
  if (cert !== undefined) side.certificate = cert;
  const chain = keywords(c.chain);
  if (chain !== undefined) side.certificate_chain = chain;
  for (const _ in x509) {
    side.x509 = x509;
    break;
  }
}
