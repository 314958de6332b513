/**
 * HMAC keys with their schedule computed, cached per pair of secrets.
 * @module
 * @internal
 */
import { percentEncode } from '../core/encoding.js';
import { prepareHmacKey, type DigestName, type HmacKey } from './crypto/index.js';

/** Keys held per HMAC algorithm, at most. */
export const HMAC_KEY_CACHE_MAX = 512;

/**
 * HMAC keys with their schedule computed (RFC 2104's padded key blocks), per
 * pair of secrets, so that a signature costs two hashes instead of an Hmac
 * object built from the key every time.
 *
 * Looked up by the secret strings themselves (client secret, then token
 * secret: two Map levels, no string built per call), so an entry is only
 * ever found by the exact secrets it was computed from: a Map compares keys in
 * full after hashing them, and no collision can hand one client's key to
 * another. Bounded: at most `max` keys; when it is full, the entries of the
 * client secret inserted first are dropped.
 */
export class HmacKeyCache {
  private readonly byClient = new Map<string, Map<string, HmacKey>>();
  private count = 0;

  constructor(
    private readonly digest: DigestName,
    private readonly max: number = HMAC_KEY_CACHE_MAX,
  ) {}

  /** The key of RFC 5849 §3.4.2 (`percentEncode(clientSecret)&percentEncode(tokenSecret)`), prepared. */
  get(clientSecret: string, tokenSecret: string): HmacKey {
    const byToken = this.byClient.get(clientSecret);
    const found = byToken?.get(tokenSecret);
    if (found !== undefined) return found;
    const key = prepareHmacKey(this.digest, `${percentEncode(clientSecret)}&${percentEncode(tokenSecret)}`);
    this.makeRoom();
    let entries = this.byClient.get(clientSecret); // makeRoom may have dropped byToken
    if (entries === undefined) {
      entries = new Map();
      this.byClient.set(clientSecret, entries);
    }
    entries.set(tokenSecret, key);
    this.count++;
    return key;
  }

  /** How many keys are held. */
  get size(): number {
    return this.count;
  }

  private makeRoom(): void {
    while (this.count >= this.max) {
      const oldest = this.byClient.entries().next();
      if (oldest.done === true) return;
      const [clientSecret, entries] = oldest.value;
      this.byClient.delete(clientSecret);
      this.count -= entries.size;
    }
  }
}
