/** Bearer-token check in constant time (digests of equal length, crypto.timingSafeEqual). */
import { createHash, timingSafeEqual } from 'node:crypto';

export class BearerAuth {
  private readonly digest: Buffer;

  constructor(token: string) {
    this.digest = createHash('sha256').update(token, 'utf8').digest();
  }

  /** True when the Authorization header carries the token. */
  check(header: string | undefined): boolean {
    const m = header === undefined ? null : /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    const given = createHash('sha256').update(m ? m[1]! : '', 'utf8').digest();
    // Compare even when the header is missing, so timing does not tell which case it was.
    return timingSafeEqual(given, this.digest) && m !== null;
  }
}
