import { stringify as losslessStringify } from 'lossless-json';
import type { NormalizeResult } from './normalize/types.js';

/**
 * JSON text of a normalized document. Documents holding integers beyond 2^53
 * (bigints) are written with every digit; all others take the native path.
 */
export function toJson(doc: unknown, lossless = false, indent?: number): string {
  if (!lossless) return JSON.stringify(doc, null, indent);
  return losslessStringify(doc, null, indent) ?? 'null';
}

/** JSON text of the document of a successful result. */
export function resultToJson(result: NormalizeResult, indent?: number): string | undefined {
  return result.ok ? toJson(result.document, result.lossless, indent) : undefined;
}
