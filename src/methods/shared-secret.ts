/**
 * The key of the shared-secret methods (HMAC and PLAINTEXT).
 * @module
 * @internal
 */
import { percentEncode } from '../core/encoding.js';
import { optionalString } from '../core/validate.js';

/** RFC 5849 §3.4.2: the encoded client secret, "&", the encoded token secret (either may be empty). */
export function sharedKey(keys: { clientSecret?: string | undefined; tokenSecret?: string | undefined }): string {
  const client = optionalString(keys.clientSecret, 'keys.clientSecret') ?? '';
  const token = optionalString(keys.tokenSecret, 'keys.tokenSecret') ?? '';
  return `${percentEncode(client)}&${percentEncode(token)}`;
}
