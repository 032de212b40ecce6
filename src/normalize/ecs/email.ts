/**
 * `smtp` and `email` objects (EVE doc, "Event type: SMTP"): the message
 * headers to ECS email.*, the SMTP envelope under jizo.smtp.
 */
import type { JsonObject, JsonValue } from '../../eve/json.js';
import { put, str } from '../values.js';
import { type Ecs, jizo, keywords, sub } from './build.js';
import { keepUnmapped, type KnownKeys, knownKeys } from './keep.js';

/** The address of "Name <user@example.com>" or "<user@example.com>". */
function address(v: string): string {
  const lt = v.lastIndexOf('<');
  const gt = v.lastIndexOf('>');
  return lt !== -1 && gt > lt ? v.slice(lt + 1, gt).trim() : v.trim();
}

function addresses(v: JsonValue | undefined): string[] | undefined {
  const list = keywords(v);
  if (list === undefined) return undefined;
  const out: string[] = [];
  for (const x of list) {
    const a = address(x);
    if (a !== '') out.push(a);
  }
  return out.length > 0 ? out : undefined;
}

const EMAIL_KEYS: KnownKeys = knownKeys({
  from: 'words', to: 'words', cc: 'words', bcc: 'words', reply_to: 'words', subject: 'str', message_id: 'str', x_mailer: 'str',
  attachment: 'words', status: 'str', url: 'words', body_md5: 'str', subject_md5: 'str', date: 'str', content_type: 'str',
  has_ipv6_url: 'bool', has_ipv4_url: 'bool', has_exe_url: 'bool', received: 'words',
});

export function mapEmail(s: Ecs, m: JsonObject): void {
  const email: Record<string, unknown> = {};
  let named: Record<string, unknown> | undefined;
  for (const k of ['from', 'to', 'cc', 'bcc', 'reply_to'] as const) {
    const list = addresses(m[k]);
    if (list === undefined) continue;
    email[k] = { address: list };
    // ECS email.*.address holds the address only: a header with a display
    // name ("Name" <user@example.com>) is kept as written under jizo.email.
    const raw = keywords(m[k])!;
    if (raw.length !== list.length || raw.some((x, i) => x !== list[i])) (named ??= {})[k] = raw;
  }
  const subject = str(m.subject);
  if (subject !== undefined) email.subject = subject;
  const id = str(m.message_id);
  if (id !== undefined) email.message_id = id;
  const mailer = str(m.x_mailer);
  if (mailer !== undefined) email.x_mailer = mailer;
  const ct = str(m.content_type);
  if (ct !== undefined) email.content_type = ct;
  const att = keywords(m.attachment);
  if (att !== undefined) email.attachments = att.map((name) => ({ file: { name } }));
  for (const _ in email) {
    // smtp (the envelope) may have come first and set email.sender.
    Object.assign(sub(s.doc as Record<string, unknown>, 'email'), email);
    break;
  }
  const j = jizo(s, 'email');
  if (named !== undefined) Object.assign(j, named);
  put(j, 'status', str(m.status));
  put(j, 'url', keywords(m.url));
  put(j, 'date', str(m.date));
  put(j, 'received', keywords(m.received));
  for (const k of ['body_md5', 'subject_md5'] as const) {
    const h = str(m[k]);
    if (h !== undefined) {
      j[k] = h;
      (s.hashes ??= []).push(h);
    }
  }
  for (const k of ['has_ipv6_url', 'has_ipv4_url', 'has_exe_url'] as const) if (typeof m[k] === 'boolean') j[k] = m[k];
  keepUnmapped(s, 'email', m, EMAIL_KEYS);
}

const SMTP_KEYS: KnownKeys = knownKeys({ helo: 'str', mail_from: 'str', rcpt_to: 'words' });

export function mapSmtp(s: Ecs, m: JsonObject): void {
  const j = jizo(s, 'smtp');
  const helo = str(m.helo);
  if (helo !== undefined) j.helo = helo;
  const from = str(m.mail_from);
  if (from !== undefined) {
    j.mail_from = from;
    // The envelope sender: ECS email.sender ("the address responsible for the actual transmission", RFC 5322 §3.6.2).
    const a = address(from);
    if (a !== '') sub(sub(s.doc as Record<string, unknown>, 'email'), 'sender').address = a;
  }
  const rcpt = keywords(m.rcpt_to);
  if (rcpt !== undefined) j.rcpt_to = rcpt;
  keepUnmapped(s, 'smtp', m, SMTP_KEYS);
}
