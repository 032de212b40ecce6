/**
 * Index names from a pattern like `jizo-%{+yyyy.MM.dd}` (Logstash's syntax),
 * filled from the event's @timestamp only: event content never picks the index.
 */
type Part = string | ((t: Stamp) => string);

interface Stamp {
  y: string;
  m: string;
  d: string;
  h: string;
}

const TOKEN: Record<string, (t: Stamp) => string> = {
  yyyy: (t) => t.y,
  yy: (t) => t.y.slice(2),
  MM: (t) => t.m,
  dd: (t) => t.d,
  HH: (t) => t.h,
};

// @timestamp is RFC 3339 UTC as written by normalize/time.ts (toUtc): the
// calendar fields are read from the text, never rounded through Date.
const STAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})/;

export class IndexNamer {
  private readonly parts: Part[] | undefined;
  private readonly cache = new Map<string, string>();

  constructor(private readonly pattern: string) {
    if (!pattern.includes('%{')) return;
    const parts: Part[] = [];
    let rest = pattern;
    for (let m = /%\{\+([^}]*)\}/.exec(rest); m; m = /%\{\+([^}]*)\}/.exec(rest)) {
      parts.push(rest.slice(0, m.index));
      for (const piece of m[1]!.split(/(yyyy|yy|MM|dd|HH)/)) {
        if (piece !== '') parts.push(TOKEN[piece] ?? piece);
      }
      rest = rest.slice(m.index + m[0].length);
    }
    if (rest.includes('%{')) throw new Error(`index pattern "${pattern}": only %{+date} placeholders are supported`);
    parts.push(rest);
    this.parts = parts;
  }

  /** True when the name depends on the event time. */
  get dated(): boolean {
    return this.parts !== undefined;
  }

  /** The glob of every index the pattern can name (`jizo-*`), for index templates. */
  get wildcard(): string {
    return this.pattern.replace(/%\{[^}]*\}/g, '*');
  }

  /** Index for an event; events without a readable @timestamp use the current time. */
  name(timestamp: unknown): string {
    if (!this.parts) return this.pattern;
    const m = typeof timestamp === 'string' ? STAMP.exec(timestamp) : null;
    const key = m ? m[0] : new Date().toISOString().slice(0, 13);
    let name = this.cache.get(key);
    if (name === undefined) {
      const k = STAMP.exec(key)!;
      const stamp: Stamp = { y: k[1]!, m: k[2]!, d: k[3]!, h: k[4]! };
      name = this.parts.map((p) => (typeof p === 'string' ? p : p(stamp))).join('');
      if (this.cache.size >= 1024) this.cache.clear();
      this.cache.set(key, name);
    }
    return name;
  }
}
