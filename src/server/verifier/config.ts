/**
 * The verifier's options, checked once and compiled into a frozen
 * configuration that every verification reads.
 * @module
 * @internal
 */
import { invalidArgType, invalidArgValue, problemFactory } from '../../core/errors.js';
import { absoluteUrl, boolean, fn, object, optionalFn, optionalObject, optionalString, positiveInteger, seconds, stringArray } from '../../core/validate.js';
import { prepareDummyRsaPublicKey, randomBase64url } from '../../methods/crypto/index.js';
import { checkCustomMethods, DEFAULT_VERIFIER_METHODS, findSignatureMethod } from '../../methods/registry.js';
import type { SignatureMethodTable } from '../../methods/types.js';
import { createMemoryNonceStore, type NonceStore } from '../nonce-store.js';
import { compileTrustProxy, type ProxyTrust, type PublicUrlOptions } from '../public-url.js';
import type { ClientRecord, TokenRecord, VerifierOptions } from './types.js';

/** Everything a verification needs, settled once. */
export interface VerifierConfig<C extends ClientRecord = ClientRecord, T extends TokenRecord = TokenRecord> {
  readonly lookupClient: VerifierOptions<C, T>['lookupClient'];
  readonly lookupToken: VerifierOptions<C, T>['lookupToken'];
  readonly onDebug: VerifierOptions<C, T>['onDebug'];
  readonly nonceStore: NonceStore;
  /** The signature methods accepted, by name. */
  readonly allowed: ReadonlySet<string>;
  readonly customMethods: SignatureMethodTable | undefined;
  readonly allowPlaintextOverHttp: boolean;
  /** Seconds a timestamp may lie in the past and in the future. */
  readonly past: number;
  readonly future: number;
  /** Seconds a nonce is remembered: long enough that no replay fits in the timestamp window. */
  readonly nonceTtl: number;
  readonly clock: () => number;
  readonly tokenRequired: boolean;
  readonly realm: string | undefined;
  readonly publicUrl: PublicUrlOptions['publicUrl'];
  readonly proxyTrust: ProxyTrust | undefined;
  readonly allowAmbiguousPaths: boolean;
  readonly allowEmptySecret: boolean;
  readonly detailedErrors: boolean;
  readonly requireBodyHash: boolean;
  readonly limits: { readonly headerLength: number; readonly parameters: number; readonly bodyBytes: number; readonly nonceLength: number };
  /** A random secret used in place of one a lookup did not find, so the signature is still computed. */
  readonly dummySecret: string;
  /** Makes the verifier's errors, with its realm. */
  readonly problem: ReturnType<typeof problemFactory>;
}

function allowedMethods(value: unknown, custom: SignatureMethodTable | undefined): Set<string> {
  if (value === undefined) return new Set(DEFAULT_VERIFIER_METHODS);
  const list = stringArray(value, 'options.signatureMethods', { nonEmpty: true });
  for (const [i, m] of list.entries()) {
    if (findSignatureMethod(m, custom) === undefined) throw invalidArgValue(`options.signatureMethods[${i}]`, `is not a known signature method`);
  }
  return new Set(list);
}

function publicUrlOption(value: unknown): PublicUrlOptions['publicUrl'] {
  if (value === undefined || typeof value === 'function') return value as PublicUrlOptions['publicUrl'];
  return absoluteUrl(value, 'options.publicUrl');
}

/** Checks the options of `createVerifier` (a TypeError naming the option) and compiles them. */
export function compileVerifierOptions<C extends ClientRecord, T extends TokenRecord>(options: VerifierOptions<C, T>): VerifierConfig<C, T> {
  const opts = object<VerifierOptions<C, T>>(options, 'options');
  const lookupClient = fn<VerifierOptions<C, T>['lookupClient']>(opts.lookupClient, 'options.lookupClient');
  const tokenRequired = boolean(opts.tokenRequired, 'options.tokenRequired', true);
  const lookupToken = tokenRequired
    ? fn<NonNullable<VerifierOptions<C, T>['lookupToken']>>(opts.lookupToken, 'options.lookupToken', 'unless options.tokenRequired is false')
    : optionalFn<NonNullable<VerifierOptions<C, T>['lookupToken']>>(opts.lookupToken, 'options.lookupToken');
  const clock = optionalFn<() => number>(opts.clock, 'options.clock') ?? Date.now;
  // The default store keeps time by the verifier's clock, so a nonce lives exactly as long as its timestamp is accepted.
  const nonceStore = opts.nonceStore ?? createMemoryNonceStore({ clock });
  if (typeof (nonceStore as Partial<NonceStore> | null)?.consume !== 'function') {
    throw invalidArgType('options.nonceStore', 'an object with a consume(key, ttlSeconds) method');
  }
  const customMethods = checkCustomMethods(opts.customMethods, 'options.customMethods');
  const allowed = allowedMethods(opts.signatureMethods, customMethods);
  if ([...allowed].some((m) => findSignatureMethod(m, customMethods)?.kind === 'rsa')) prepareDummyRsaPublicKey();
  const window = optionalObject<NonNullable<VerifierOptions['timestampWindow']>>(opts.timestampWindow, 'options.timestampWindow');
  const past = seconds(window?.past, 'options.timestampWindow.past', 300);
  const future = seconds(window?.future, 'options.timestampWindow.future', 300);
  const limits = optionalObject<NonNullable<VerifierOptions['limits']>>(opts.limits, 'options.limits');
  const realm = optionalString(opts.realm, 'options.realm');
  return Object.freeze({
    lookupClient,
    lookupToken,
    onDebug: optionalFn<NonNullable<VerifierOptions<C, T>['onDebug']>>(opts.onDebug, 'options.onDebug'),
    nonceStore,
    allowed,
    customMethods,
    allowPlaintextOverHttp: boolean(opts.allowPlaintextOverHttp, 'options.allowPlaintextOverHttp', false),
    past,
    future,
    // A timestamp is accepted while the server's second lies in [ts - future, ts + past]: that is
    // floor(past) + floor(future) + 1 seconds of wall time, all of which the nonce must outlive.
    nonceTtl: Math.floor(past) + Math.floor(future) + 1,
    clock,
    tokenRequired,
    realm,
    publicUrl: publicUrlOption(opts.publicUrl),
    proxyTrust: compileTrustProxy(opts.trustProxy),
    allowAmbiguousPaths: boolean(opts.allowAmbiguousPaths, 'options.allowAmbiguousPaths', false),
    allowEmptySecret: boolean(opts.allowEmptySecret, 'options.allowEmptySecret', false),
    detailedErrors: boolean(opts.detailedErrors, 'options.detailedErrors', false),
    requireBodyHash: boolean(opts.requireBodyHash, 'options.requireBodyHash', false),
    limits: Object.freeze({
      headerLength: positiveInteger(limits?.headerLength, 'options.limits.headerLength', 8192),
      parameters: positiveInteger(limits?.parameters, 'options.limits.parameters', 512),
      bodyBytes: positiveInteger(limits?.bodyBytes, 'options.limits.bodyBytes', 1024 * 1024),
      nonceLength: positiveInteger(limits?.nonceLength, 'options.limits.nonceLength', 255),
    }),
    dummySecret: randomBase64url(32),
    problem: problemFactory(realm),
  });
}
