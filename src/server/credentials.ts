/**
 * Credentials a provider issues.
 * @module
 */
import { randomBase64url } from '../methods/crypto/index.js';

/**
 * New client or token credentials for a provider: an identifier and a
 * shared secret from the system's CSPRNG, printable URL-safe ASCII
 * (base64url), 192 bits for the key and 256 bits for the secret, so a
 * guess succeeds with probability at most 2^-192.
 *
 * @example
 * ```ts
 * const { key, secret } = generateCredentials(); // store the secret, show it once
 * ```
 * @see RFC 5849 §4.5 (secrets must be hard to guess)
 * @group Provider
 */
export function generateCredentials(): { key: string; secret: string } {
  return { key: randomBase64url(24), secret: randomBase64url(32) };
}
