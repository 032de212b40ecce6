/**
 * Token check in constant time (digests of equal length, crypto.timingSafeEqual),
 * shared by the HTTP source and the admin listener. The token comes as
 * `Authorization: Bearer <token>`; where a browser must send it (the status
 * page), also as the password of `Authorization: Basic` (any user name), which
 * the browser asks for once and then sends with every request to the page.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export class BearerAuth {
  private readonly digest: Buffer;

  constructor(
    token: string,
    /** Also take the token as the password of Basic authentication. */
    private readonly basic = false,
  ) {
    this.digest = createHash('sha256').update(token, 'utf8').digest();
  }

  /** True when the Authorization header carries the token. */
  check(header: string | undefined): boolean {
    const given = this.given(header);
    const digest = createHash('sha256').update(given ?? '', 'utf8').digest();
    // Compare even when the header is missing, so timing does not tell which case it was.
    return timingSafeEqual(digest, this.digest) && given !== undefined;
  }

  private given(header: string | undefined): string | undefined {
    if (header === undefined) return undefined;
    const bearer = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (bearer) return bearer[1]!;
    const basic = this.basic ? /^Basic[ ]+([A-Za-z0-9+/]+=*)\s*$/i.exec(header) : null;
    if (!basic) return undefined;
    const text = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    return colon === -1 ? undefined : text.slice(colon + 1);
  }
}
