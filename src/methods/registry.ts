/**
 * Signature methods as one table (RFC 5849 §3.4.2–3.4.4, plus the SHA-256 and
 * SHA-512 variants deployed providers use), open to custom methods.
 *
 * Adding a built-in method is one line in `BUILT_IN` (and its family module);
 * a custom method is either handed to `sign()` / `createVerifier()` in their
 * `customMethods` option, or registered once with
 * {@link registerSignatureMethod}. Registered methods live in one table per
 * process (on `globalThis`, under a `Symbol.for` key), so a method registered
 * through the ESM build is known to the CommonJS build too.
 * @module
 */
import { invalidArgType, invalidArgValue, requireAsync } from '../core/errors.js';
import { fn, object, oneOf, optionalFn } from '../core/validate.js';
import { BODY_HASH_ALGORITHMS } from './body-hash.js';
import { hmac } from './hmac.js';
import { plaintext } from './plaintext.js';
import { rsa } from './rsa.js';
import type { SignatureMethod, SignatureMethodDefinition, SignatureMethodTable, SigningKeys, VerifyingKeys } from './types.js';

export type {
  BodyHashAlgorithm,
  KeyLike,
  SignatureMethod,
  SignatureMethodDefinition,
  SignatureMethodTable,
  SigningKeys,
  VerifyingKeys,
} from './types.js';

const BUILT_IN: ReadonlyMap<string, SignatureMethodDefinition> = new Map([
  ['HMAC-SHA1', hmac('SHA-1')],
  ['HMAC-SHA256', hmac('SHA-256')],
  ['HMAC-SHA512', hmac('SHA-512')],
  ['RSA-SHA1', rsa('SHA-1')],
  ['RSA-SHA256', rsa('SHA-256')],
  ['RSA-SHA512', rsa('SHA-512')],
  ['PLAINTEXT', plaintext],
]);

/** What a verifier accepts unless told otherwise: every built-in method that does not reveal the secret. @internal */
export const DEFAULT_VERIFIER_METHODS: readonly SignatureMethod[] = [...BUILT_IN].filter(([, d]) => d.revealsSecret !== true).map(([n]) => n);

/** The default method of `sign()` and the flow helpers. @internal */
export const DEFAULT_SIGNATURE_METHOD: SignatureMethod = 'HMAC-SHA1';

const BUILT_IN_DEFINITIONS: ReadonlySet<SignatureMethodDefinition> = new Set(BUILT_IN.values());

/** Whether a definition is one of the built-in methods (whose synchronous and asynchronous forms agree). @internal */
export function isBuiltInMethod(definition: SignatureMethodDefinition): boolean {
  return BUILT_IN_DEFINITIONS.has(definition);
}

const REGISTRY = Symbol.for('oauth1.registeredSignatureMethods');

/** Methods registered with registerSignatureMethod: one table per process, shared by the ESM and CJS builds. */
function registered(): Map<string, SignatureMethodDefinition> {
  const holder = globalThis as typeof globalThis & { [REGISTRY]?: Map<string, SignatureMethodDefinition> };
  return (holder[REGISTRY] ??= new Map());
}

/** Checks a custom method's definition. @internal */
export function checkDefinition(definition: unknown, path: string): SignatureMethodDefinition {
  const def = object<SignatureMethodDefinition>(definition, path, 'a signature method definition');
  fn(def.sign, `${path}.sign`);
  fn(def.verify, `${path}.verify`);
  optionalFn(def.signAsync, `${path}.signAsync`);
  optionalFn(def.verifyAsync, `${path}.verifyAsync`);
  oneOf(def.kind, `${path}.kind`, ['shared-secret', 'rsa']);
  oneOf(def.bodyHash, `${path}.bodyHash`, BODY_HASH_ALGORITHMS);
  return def;
}

/** Checks a `customMethods` option: names that are not built in, each with a valid definition. @internal */
export function checkCustomMethods(value: unknown, path: string): SignatureMethodTable | undefined {
  if (value === undefined) return undefined;
  const table = object<Record<string, unknown>>(value, path, 'an object of signature method definitions by name');
  for (const [name, def] of Object.entries(table)) {
    checkName(name, `${path}["${name}"]`);
    checkDefinition(def, `${path}["${name}"]`);
  }
  return table as SignatureMethodTable;
}

function checkName(name: unknown, path: string): string {
  if (typeof name !== 'string' || !/^[\x21-\x7e]+$/.test(name)) throw invalidArgValue(path, 'must be a non-empty printable ASCII string');
  if (BUILT_IN.has(name)) throw invalidArgValue(path, `"${name}" is built in and cannot be replaced`);
  return name;
}

/** A method by name: built in, then the caller's custom table, then the registered ones. @internal */
export function findSignatureMethod(method: string, custom?: SignatureMethodTable): SignatureMethodDefinition | undefined {
  return BUILT_IN.get(method) ?? (custom !== undefined && Object.hasOwn(custom, method) ? custom[method] : undefined) ?? registered().get(method);
}

/** Every method name known to a caller with this custom table. @internal */
export function knownSignatureMethods(custom?: SignatureMethodTable): SignatureMethod[] {
  return [...new Set([...BUILT_IN.keys(), ...Object.keys(custom ?? {}), ...registered().keys()])];
}

/**
 * The definition of a signature method, or undefined for an unknown name.
 * Names are matched exactly, as they travel in `oauth_signature_method`.
 *
 * @example
 * ```ts
 * getSignatureMethod('HMAC-SHA256')?.bodyHash; // 'SHA-256'
 * getSignatureMethod('hmac-sha256');           // undefined: names are case-sensitive
 * ```
 * @see RFC 5849 §3.4
 * @group Signature methods
 */
export function getSignatureMethod(method: string): SignatureMethodDefinition | undefined {
  return findSignatureMethod(method);
}

/**
 * Every method currently known: the built-in ones, then those added with
 * {@link registerSignatureMethod}.
 *
 * @example
 * ```ts
 * listSignatureMethods();
 * // ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'RSA-SHA1', 'RSA-SHA256', 'RSA-SHA512', 'PLAINTEXT']
 * ```
 * @see RFC 5849 §3.4
 * @group Signature methods
 */
export function listSignatureMethods(): SignatureMethod[] {
  return knownSignatureMethods();
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
  registered().set(checkName(name, 'name'), checkDefinition(definition, 'definition'));
}

function lookup(method: SignatureMethod, path: string): SignatureMethodDefinition {
  if (typeof method !== 'string') throw invalidArgType(path, 'a string');
  const def = findSignatureMethod(method);
  if (def === undefined) throw invalidArgValue(path, `"${method}" is not a known signature method (${knownSignatureMethods().join(', ')})`);
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
 * @throws TypeError (`ERR_SYNC_CRYPTO_UNAVAILABLE`) in the web build (workers, edge, Deno, browsers), where WebCrypto is asynchronous: use {@link createSignatureAsync} there (PLAINTEXT works synchronously).
 * @see RFC 5849 §3.4.2–3.4.4
 * @group Signature methods
 */
export function createSignature(method: SignatureMethod, baseString: string, keys: SigningKeys): string {
  const def = lookup(method, 'method');
  if (typeof baseString !== 'string') throw invalidArgType('baseString', 'a string');
  try {
    return def.sign(baseString, keys ?? {});
  } catch (err) {
    throw requireAsync(err, 'createSignature', 'createSignatureAsync');
  }
}

/**
 * {@link createSignature} in every build, as a promise: in the web build,
 * where HMAC and RSA are asynchronous (WebCrypto), this is the form that
 * works. Mistakes in the arguments reject with the same TypeErrors.
 *
 * @example
 * ```ts
 * const signature = await createSignatureAsync('HMAC-SHA256', baseString, { clientSecret, tokenSecret });
 * ```
 * @see RFC 5849 §3.4.2–3.4.4
 * @group Signature methods
 */
export async function createSignatureAsync(method: SignatureMethod, baseString: string, keys: SigningKeys): Promise<string> {
  const def = lookup(method, 'method');
  if (typeof baseString !== 'string') throw invalidArgType('baseString', 'a string');
  return signWith(def, baseString, keys ?? {});
}

/** Signs with a definition's asynchronous form when it has one. @internal */
export async function signWith(def: SignatureMethodDefinition, baseString: string, keys: SigningKeys): Promise<string> {
  return def.signAsync !== undefined ? def.signAsync(baseString, keys) : def.sign(baseString, keys);
}

/** Verifies with a definition's asynchronous form when it has one. @internal */
export async function verifyWith(def: SignatureMethodDefinition, baseString: string, signature: string, keys: VerifyingKeys): Promise<boolean> {
  return def.verifyAsync !== undefined ? def.verifyAsync(baseString, signature, keys) : def.verify(baseString, signature, keys);
}

/**
 * Checks a signature over a base string, comparing in constant time. A
 * malformed signature is `false`, never an exception.
 *
 * @example
 * ```ts
 * verifySignature('RSA-SHA1', baseString, signature, { publicKey: certificatePem });
 * ```
 * @throws TypeError (`ERR_SYNC_CRYPTO_UNAVAILABLE`) in the web build (workers, edge, Deno, browsers), where WebCrypto is asynchronous: use {@link verifySignatureAsync} there (PLAINTEXT works synchronously).
 * @see RFC 5849 §3.4.2–3.4.4
 * @group Signature methods
 */
export function verifySignature(method: SignatureMethod, baseString: string, signature: string, keys: VerifyingKeys): boolean {
  const def = lookup(method, 'method');
  if (typeof baseString !== 'string') throw invalidArgType('baseString', 'a string');
  if (typeof signature !== 'string') return false;
  try {
    return def.verify(baseString, signature, keys ?? {});
  } catch (err) {
    throw requireAsync(err, 'verifySignature', 'verifySignatureAsync');
  }
}

/**
 * {@link verifySignature} in every build, as a promise (see
 * {@link createSignatureAsync}). A malformed signature is `false`.
 *
 * @example
 * ```ts
 * const ok = await verifySignatureAsync('RSA-SHA256', baseString, signature, { publicKey: certificatePem });
 * ```
 * @see RFC 5849 §3.4.2–3.4.4
 * @group Signature methods
 */
export async function verifySignatureAsync(method: SignatureMethod, baseString: string, signature: string, keys: VerifyingKeys): Promise<boolean> {
  const def = lookup(method, 'method');
  if (typeof baseString !== 'string') throw invalidArgType('baseString', 'a string');
  if (typeof signature !== 'string') return false;
  return verifyWith(def, baseString, signature, keys ?? {});
}
