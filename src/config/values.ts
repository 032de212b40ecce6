/**
 * The configuration vocabulary: zod building blocks (ports, hosts, sizes,
 * durations, paths, secrets) with messages that say what is expected (the key
 * path is added by the config loader). The lowest layer a component imports:
 * sources, sinks and the service that hosts them all take their keys from
 * here, and no component imports the service.
 */
import { z } from 'zod';

/** A TCP/UDP port; 0 asks the system for a free one (tests). */
export const port = (def: number) =>
  z
    .number({ invalid_type_error: 'expected a number from 1 to 65535', required_error: 'expected a number from 1 to 65535' })
    .int('expected a number from 1 to 65535')
    .min(0, 'expected a number from 1 to 65535')
    .max(65535, 'expected a number from 1 to 65535')
    .default(def);

export const host = (def: string) =>
  z.string({ invalid_type_error: 'expected a host name or IP address' }).min(1, 'expected a host name or IP address').default(def);

export const intRange = (min: number, max: number, def: number) =>
  z
    .number({ invalid_type_error: `expected an integer from ${min} to ${max}` })
    .int(`expected an integer from ${min} to ${max}`)
    .min(min, `expected an integer from ${min} to ${max}`)
    .max(max, `expected an integer from ${min} to ${max}`)
    .default(def);

const SIZE_UNITS: Record<string, number> = {
  b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3,
};
const SIZE = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/;

/** Parses `64MiB`, `10 MB`, `4096`; undefined when not a size. */
export function parseSize(v: string): number | undefined {
  const m = SIZE.exec(v);
  if (!m) return undefined;
  const unit = m[2]!.toLowerCase() || 'b';
  const mult = Object.hasOwn(SIZE_UNITS, unit) ? SIZE_UNITS[unit] : undefined;
  return mult === undefined ? undefined : Math.round(Number(m[1]) * mult);
}

/** A size in bytes: a number, or a string with a unit (B, KB, MB, GB, KiB, MiB, GiB). */
export const size = (min: number, def: number | string) => {
  const msg = `expected a size of at least ${min} bytes: a number of bytes or a string such as "64MiB"`;
  return z
    .union([z.number(), z.string()], { errorMap: () => ({ message: msg }) })
    .transform((v, ctx) => {
      const n = typeof v === 'number' ? v : parseSize(v);
      if (n === undefined || !Number.isFinite(n) || n < min || !Number.isInteger(n)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: msg });
        return z.NEVER;
      }
      return n;
    })
    .default(def as never);
};

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/;

export function parseDuration(v: string): number | undefined {
  const m = DURATION.exec(v);
  return m ? Math.round(Number(m[1]) * DURATION_UNITS[m[2]!]!) : undefined;
}

/** A duration in milliseconds: a number of ms, or a string such as "500ms", "5s", "1h". */
export const duration = (min: number, def: number | string) => {
  const msg = `expected a duration of at least ${min} ms: a number of milliseconds or a string such as "5s"`;
  return z
    .union([z.number(), z.string()], { errorMap: () => ({ message: msg }) })
    .transform((v, ctx) => {
      const n = typeof v === 'number' ? v : parseDuration(v);
      if (n === undefined || !Number.isFinite(n) || n < min) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: msg });
        return z.NEVER;
      }
      return n;
    })
    .default(def as never);
};

/** A file path (relative paths are taken from the working directory). */
export const path = () => z.string({ invalid_type_error: 'expected a file path' }).min(1, 'expected a file path');

/** A secret: its value never appears in error messages. */
export const secret = () => z.string({ invalid_type_error: 'expected a string' }).min(1, 'expected a non-empty string');
