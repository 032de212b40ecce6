/**
 * Configuration errors: zod issues -> "key.path: what is expected". Values
 * given are never quoted back: a secret (token, password) could be among them.
 */
import type { ZodIssue } from 'zod';

function joinPath(prefix: string, path: (string | number)[]): string {
  let out = prefix;
  for (const p of path) out = typeof p === 'number' ? `${out}[${p}]` : out === '' ? p : `${out}.${p}`;
  return out === '' ? '(top level)' : out;
}

function describe(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.received === 'undefined') return `required: expected ${issue.expected}`;
      // Our schemas give "expected ..." messages; zod's own say "Expected x, received y".
      return /^expected /.test(issue.message) ? issue.message : `expected ${issue.expected}, got ${issue.received}`;
    case 'invalid_enum_value':
      return /^expected /.test(issue.message) ? issue.message : `expected one of ${issue.options.join(', ')}`;
    case 'invalid_literal':
      return `expected ${JSON.stringify(issue.expected)}`;
    default:
      return issue.message;
  }
}

export function formatIssues(issues: ZodIssue[], prefix: string): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    // A union (`false` or an object): when the value was of one option's kind, what is wrong inside it says more.
    const inner = issue.code === 'invalid_union' ? issue.unionErrors.find((e) => e.issues.every((i) => i.path.length > issue.path.length)) : undefined;
    if (inner) {
      out.push(...formatIssues(inner.issues, prefix));
    } else if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) out.push(`${joinPath(prefix, [...issue.path, k])}: unknown key`);
    } else {
      out.push(`${joinPath(prefix, issue.path)}: ${describe(issue)}`);
    }
  }
  return out;
}

/** A configuration that does not validate: every problem, each as `key.path: what is expected`. */
export class ConfigError extends Error {
  constructor(
    readonly issues: string[],
    where: string,
  ) {
    super(`invalid configuration${where}:\n  ${issues.join('\n  ')}`);
  }
}
