/**
 * What a signature method is: the shape every entry of the method table has.
 * @module
 */
import type { KeyLike } from './crypto/index.js';

export type { KeyLike } from './crypto/index.js';

/** A signature method name; the seven built in, or one you registered. */
export type SignatureMethod =
  | 'HMAC-SHA1'
  | 'HMAC-SHA256'
  | 'HMAC-SHA512'
  | 'RSA-SHA1'
  | 'RSA-SHA256'
  | 'RSA-SHA512'
  | 'PLAINTEXT'
  | (string & {});

/** Hash names of `oauth_body_hash`. */
export type BodyHashAlgorithm = 'SHA-1' | 'SHA-256' | 'SHA-512';

/** Keys for signing: shared secrets (HMAC, PLAINTEXT) or an RSA private key. */
export interface SigningKeys {
  clientSecret?: string | undefined;
  tokenSecret?: string | undefined;
  privateKey?: KeyLike | undefined;
}

/** Keys for verifying: shared secrets (HMAC, PLAINTEXT) or an RSA public key. */
export interface VerifyingKeys {
  clientSecret?: string | undefined;
  tokenSecret?: string | undefined;
  publicKey?: KeyLike | undefined;
}

/**
 * One entry of the table. `kind` tells which keys the method needs: shared
 * secrets (`'shared-secret'`) or an RSA key pair (`'rsa'`).
 * @group Signature methods
 */
export interface SignatureMethodDefinition {
  kind: 'shared-secret' | 'rsa';
  /** Hash for `oauth_body_hash` with this method. */
  bodyHash: BodyHashAlgorithm;
  /** Whether the method sends the shared secret itself (PLAINTEXT): only over TLS. */
  revealsSecret?: boolean;
  /**
   * Signs synchronously. In the web build the built-in HMAC and RSA methods
   * cannot (WebCrypto is asynchronous) and throw a TypeError naming the async
   * function to use; a custom method may do the same.
   */
  sign(baseString: string, keys: SigningKeys): string;
  /** Must compare in constant time. */
  verify(baseString: string, signature: string, keys: VerifyingKeys): boolean;
  /**
   * Signs asynchronously (WebCrypto). `signAsync()`, `createSignatureAsync()`
   * and the flow helpers use it when present, `sign` otherwise. Every
   * built-in method has it.
   */
  signAsync?(baseString: string, keys: SigningKeys): Promise<string>;
  /** Verifies asynchronously; the verifier uses it when present, `verify` otherwise. Must compare in constant time. */
  verifyAsync?(baseString: string, signature: string, keys: VerifyingKeys): Promise<boolean>;
}

/** Custom methods handed to `sign()` or `createVerifier()` in their options, by name. */
export type SignatureMethodTable = Readonly<Record<string, SignatureMethodDefinition>>;
