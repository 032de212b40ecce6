/**
 * The files of the status page, shipped in the package under assets/status/
 * (found from the package root, compiled or bundled alike) and read once when
 * the admin listener starts. Served with a Content-Security-Policy that lets
 * the page load only its own script, style and data: no inline script, no
 * other origin, no frames. The script writes every value with textContent.
 */
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { packageFile } from '../io/package.js';

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/status.js': { file: 'status.js', type: 'text/javascript; charset=utf-8' },
  '/status.css': { file: 'status.css', type: 'text/css; charset=utf-8' },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of every answer of the admin listener that a browser may render. */
export const PAGE_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

export class StatusPage {
  private readonly files = new Map<string, { body: Buffer; type: string }>();

  /** Reads the page's files; throws when the package lacks them. */
  async load(): Promise<void> {
    for (const [path, { file, type }] of Object.entries(FILES)) {
      const url = packageFile(`assets/status/${file}`);
      if (url === undefined) throw new Error('the status page: package root not found');
      this.files.set(path, { body: await readFile(url), type });
    }
  }

  /** Answers `path` when it is one of the page's files; false otherwise. */
  serve(path: string, head: boolean, res: ServerResponse): boolean {
    const f = this.files.get(path);
    if (!f) return false;
    res.writeHead(200, { ...PAGE_HEADERS, 'content-type': f.type, 'content-length': f.body.length });
    res.end(head ? undefined : f.body);
    return true;
  }
}
