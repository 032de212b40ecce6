/**
 * The token keys of a listener that asks for one (the HTTP source, the admin
 * listener): `token` in the file, or `token_env` naming an environment
 * variable that holds it, never both. One vocabulary, one resolution.
 */
import { z } from 'zod';
import { secret } from './values.js';

export const tokenKeys = {
  /** Token required in `Authorization` (never logged). */
  token: secret().optional(),
  /** Name of an environment variable holding the token (instead of `token`). */
  token_env: z.string({ invalid_type_error: 'expected an environment variable name' }).min(1).optional(),
};

interface TokenConfig {
  token?: string;
  token_env?: string;
}

/** Refines an object schema holding {@link tokenKeys}: one form of the token at most. */
export function oneTokenForm<T extends z.ZodTypeAny>(schema: T) {
  return schema.refine((c: TokenConfig) => c.token === undefined || c.token_env === undefined, {
    message: 'set either token or token_env, not both',
    path: ['token_env'],
  });
}

/** The token to require, or undefined when none is configured; throws when `token_env` names an unset variable. */
export function resolveToken(c: TokenConfig, who: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (c.token_env === undefined) return c.token;
  const token = env[c.token_env];
  if (!token) throw new Error(`${who}: environment variable ${c.token_env} (token_env) is not set`);
  return token;
}
