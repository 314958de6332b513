/**
 * What a crypto back end offers. There are two: `node.ts` (node:crypto,
 * synchronous, Node and Bun) and `web.ts` (WebCrypto, asynchronous, workers,
 * edge runtimes, Deno and browsers). Everything else imports `./index.js`;
 * the web build resolves that to `./index.web.ts` (a `.web.ts` file beside a
 * module replaces it in that build, for esbuild and for TypeScript's
 * `moduleSuffixes` alike), so only this folder differs between the builds.
 *
 * Each keyed or hashing operation has a synchronous form and an `Async`
 * form. The Node back end implements both; the web back end's synchronous
 * forms throw `syncCryptoUnavailable` (a TypeError, code `ERR_SYNC_CRYPTO_UNAVAILABLE`) because SubtleCrypto has
 * no synchronous API. `SYNC_CRYPTO` says which back end is loaded.
 * @module
 * @internal
 */

/** Digests by their node:crypto names. */
export type DigestName = 'sha1' | 'sha256' | 'sha512';

/** The operations both back ends export, over their own key type `K`. */
export interface CryptoBackend<K> {
  /** True where the keyed and hashing operations work synchronously. */
  readonly SYNC_CRYPTO: boolean;
  /** Base64 HMAC of `data` (UTF-8) under `key` (UTF-8). */
  hmacBase64(digest: DigestName, key: string, data: string): string;
  hmacBase64Async(digest: DigestName, key: string, data: string): Promise<string>;
  /** Base64 digest of `data` (a string is hashed as UTF-8). */
  digestBase64(digest: DigestName, data: string | Uint8Array): string;
  digestBase64Async(digest: DigestName, data: string | Uint8Array): Promise<string>;
  /** RSASSA-PKCS1-v1_5 signature, base64; `path` names the key option in errors. */
  rsaSignBase64(digest: DigestName, key: K, data: string, path?: string): string;
  rsaSignBase64Async(digest: DigestName, key: K, data: string, path?: string): Promise<string>;
  /** Checks an RSASSA-PKCS1-v1_5 signature given in base64; false for any malformed signature. */
  rsaVerifyBase64(digest: DigestName, key: K, data: string, signature: string, path?: string): boolean;
  rsaVerifyBase64Async(digest: DigestName, key: K, data: string, signature: string, path?: string): Promise<boolean>;
  /** `bytes` random bytes from the CSPRNG as lowercase hex. */
  randomHex(bytes: number): string;
  /** `bytes` random bytes from the CSPRNG as base64url without padding. */
  randomBase64url(bytes: number): string;
  /** Compares a computed value with a received one in time that does not depend on the computed one. */
  constantTimeEqual(expected: string, received: string): boolean;
  /** Starts making the RSA key that stands in for an unknown client's. */
  prepareDummyRsaPublicKey(): void;
  /** That key (a signature checked against it fails, and takes as long as a real check). */
  dummyRsaPublicKeyAsync(): Promise<K>;
}
