/**
 * Signature methods as one table (RFC 5849 §3.4.2–3.4.4, plus the SHA-256 and
 * SHA-512 variants deployed providers use), open to custom methods.
 * @module
 */
import {
  constantTimeEqual,
  digestBase64,
  hmacBase64,
  rsaSignBase64,
  rsaVerifyBase64,
  toPrivateKey,
  toPublicKey,
  type DigestName,
  type KeyLike,
} from './crypto/node.js';
import { percentEncode } from '../core/encoding.js';
import { invalidArgType, invalidArgValue, missingOption } from '../core/errors.js';

export type { KeyLike } from './crypto/node.js';

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

/** Hash names of `oauth_body_hash`. */
export type BodyHashAlgorithm = 'SHA-1' | 'SHA-256' | 'SHA-512';

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
  sign(baseString: string, keys: SigningKeys): string;
  /** Must compare in constant time. */
  verify(baseString: string, signature: string, keys: VerifyingKeys): boolean;
}

const DIGESTS: Record<BodyHashAlgorithm, DigestName> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-512': 'sha512' };

function secretOf(value: string | undefined, path: string): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') throw invalidArgType(path, 'a string');
  return value;
}

/** RFC 5849 §3.4.2: the key is the encoded client secret, "&", the encoded token secret. */
function sharedKey(keys: { clientSecret?: string | undefined; tokenSecret?: string | undefined }): string {
  return `${percentEncode(secretOf(keys.clientSecret, 'keys.clientSecret'))}&${percentEncode(
    secretOf(keys.tokenSecret, 'keys.tokenSecret'),
  )}`;
}

function hmac(hash: BodyHashAlgorithm): SignatureMethodDefinition {
  const digest = DIGESTS[hash];
  return {
    kind: 'shared-secret',
    bodyHash: hash,
    sign: (base, keys) => hmacBase64(digest, sharedKey(keys), base),
    verify: (base, signature, keys) => constantTimeEqual(hmacBase64(digest, sharedKey(keys), base), signature),
  };
}

function rsa(hash: BodyHashAlgorithm): SignatureMethodDefinition {
  const digest = DIGESTS[hash];
  return {
    kind: 'rsa',
    bodyHash: hash,
    sign: (base, keys) => {
      if (keys.privateKey === undefined) throw missingOption('keys.privateKey', `for RSA-${hash.replace('-', '')}`);
      return rsaSignBase64(digest, toPrivateKey(keys.privateKey), base);
    },
    verify: (base, signature, keys) => {
      if (keys.publicKey === undefined) throw missingOption('keys.publicKey', `for RSA-${hash.replace('-', '')}`);
      return rsaVerifyBase64(digest, toPublicKey(keys.publicKey), base, signature);
    },
  };
}

const table = new Map<string, SignatureMethodDefinition>([
  ['HMAC-SHA1', hmac('SHA-1')],
  ['HMAC-SHA256', hmac('SHA-256')],
  ['HMAC-SHA512', hmac('SHA-512')],
  ['RSA-SHA1', rsa('SHA-1')],
  ['RSA-SHA256', rsa('SHA-256')],
  ['RSA-SHA512', rsa('SHA-512')],
  [
    'PLAINTEXT',
    {
      // RFC 5849 §3.4.4: the signature is the key itself; it MUST only travel over TLS.
      kind: 'shared-secret',
      bodyHash: 'SHA-1',
      revealsSecret: true,
      sign: (_base, keys) => sharedKey(keys),
      verify: (_base, signature, keys) => constantTimeEqual(sharedKey(keys), signature),
    },
  ],
]);

const BUILT_IN = new Set(table.keys());

/**
 * The definition of a signature method, or undefined for an unknown name.
 * Names are matched exactly, as they travel in `oauth_signature_method`.
 * @group Signature methods
 */
export function getSignatureMethod(method: string): SignatureMethodDefinition | undefined {
  return table.get(method);
}

/** Every method currently known (built in and registered). @group Signature methods */
export function listSignatureMethods(): SignatureMethod[] {
  return [...table.keys()];
}

/**
 * Adds a custom signature method to the table. Built-in methods cannot be
 * replaced.
 *
 * @example A method some private deployment uses
 * ```ts
 * registerSignatureMethod('HMAC-SHA384', {
 *   kind: 'shared-secret', bodyHash: 'SHA-256',
 *   sign: (base, keys) => myHmac384(base, keys),
 *   verify: (base, sig, keys) => myConstantTimeCompare(myHmac384(base, keys), sig),
 * });
 * ```
 * @group Signature methods
 */
export function registerSignatureMethod(name: string, definition: SignatureMethodDefinition): void {
  if (typeof name !== 'string' || !/^[\x21-\x7e]+$/.test(name)) throw invalidArgValue('name', 'must be a non-empty printable ASCII string');
  if (BUILT_IN.has(name)) throw invalidArgValue('name', `"${name}" is built in and cannot be replaced`);
  if (typeof definition?.sign !== 'function') throw invalidArgType('definition.sign', 'a function');
  if (typeof definition.verify !== 'function') throw invalidArgType('definition.verify', 'a function');
  if (definition.kind !== 'shared-secret' && definition.kind !== 'rsa') {
    throw invalidArgValue('definition.kind', `must be 'shared-secret' or 'rsa'`);
  }
  if (!(definition.bodyHash in DIGESTS)) throw invalidArgValue('definition.bodyHash', `must be 'SHA-1', 'SHA-256' or 'SHA-512'`);
  table.set(name, definition);
}

function lookup(method: SignatureMethod, path: string): SignatureMethodDefinition {
  if (typeof method !== 'string') throw invalidArgType(path, 'a string');
  const def = table.get(method);
  if (def === undefined) throw invalidArgValue(path, `"${method}" is not a known signature method (${[...table.keys()].join(', ')})`);
  return def;
}

/**
 * Signs a base string. The result is raw (base64 for HMAC and RSA, the key
 * itself for PLAINTEXT), not percent-encoded.
 *
 * @example
 * ```ts
 * createSignature('HMAC-SHA1', baseString, { clientSecret: 'kd94hf93k423kf44', tokenSecret: 'pfkkdhi9sl3r4s00' });
 * ```
 * @see RFC 5849 §3.4.2–3.4.4
 * @group Signature methods
 */
export function createSignature(method: SignatureMethod, baseString: string, keys: SigningKeys): string {
  const def = lookup(method, 'method');
  if (typeof baseString !== 'string') throw invalidArgType('baseString', 'a string');
  return def.sign(baseString, keys ?? {});
}

/**
 * Checks a signature over a base string, comparing in constant time. A
 * malformed signature is `false`, never an exception.
 *
 * @example
 * ```ts
 * verifySignature('RSA-SHA1', baseString, signature, { publicKey: certificatePem });
 * ```
 * @see RFC 5849 §3.4.2–3.4.4
 * @group Signature methods
 */
export function verifySignature(method: SignatureMethod, baseString: string, signature: string, keys: VerifyingKeys): boolean {
  const def = lookup(method, 'method');
  if (typeof baseString !== 'string') throw invalidArgType('baseString', 'a string');
  if (typeof signature !== 'string') return false;
  return def.verify(baseString, signature, keys ?? {});
}

/**
 * The `oauth_body_hash` value of a body: base64 of its digest (a string is
 * hashed as UTF-8). Use it for bodies that are not forms; a form body never
 * carries a body hash.
 *
 * @example
 * ```ts
 * bodyHash('{"a":1}', 'SHA-256');
 * ```
 * @see OAuth Request Body Hash 1.0 Draft 4, §3.1
 * @group Signature methods
 */
export function bodyHash(body: string | Uint8Array, hash: BodyHashAlgorithm): string {
  const digest = DIGESTS[hash];
  if (digest === undefined) throw invalidArgValue('hash', `must be 'SHA-1', 'SHA-256' or 'SHA-512'`);
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) throw invalidArgType('body', 'a string or a Uint8Array');
  return digestBase64(digest, body);
}
