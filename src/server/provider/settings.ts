/**
 * The provider's options, checked once, and the three verifiers its
 * endpoints run (temporary credentials, token credentials, resources).
 * @module
 * @internal
 */
import { invalidArgValue, missingOption, problemFactory } from '../../core/errors.js';
import { boolean, fn, object, optionalFn, seconds } from '../../core/validate.js';
import { createMemoryNonceStore } from '../nonce-store.js';
import type { ProviderStore, TemporaryCredentialsRecord, TokenCredentialsRecord } from '../provider-store.js';
import { compileVerifierOptions } from '../verifier/config.js';
import { buildVerifier } from '../verifier/index.js';
import type { TokenRecord, VerifiedRequest, Verifier, VerifierOptions } from '../verifier/types.js';
import type { ProviderClientRecord, ProviderOptions } from './types.js';

/** A verifier whose results are remembered, so a request function cannot hand back another verifier's result. */
export interface Endpoint<C extends ProviderClientRecord, T extends TokenRecord> {
  verifier: Verifier<C, T>;
  issued: WeakSet<VerifiedRequest<C, T>>;
}

export interface ProviderSettings<C extends ProviderClientRecord> {
  store: ProviderStore;
  /** Seconds temporary credentials stay usable. */
  temporaryTtl: number;
  allowTemporary: ProviderOptions<C>['allowTemporary'];
  allowHttp: boolean;
  clock: () => number;
  fail: ReturnType<typeof problemFactory>;
  temporary: Endpoint<C, TokenRecord>;
  token: Endpoint<C, TemporaryCredentialsRecord>;
  resource: Verifier<C, TokenCredentialsRecord>;
}

const STORE_METHODS = ['saveTemporary', 'getTemporary', 'approveTemporary', 'takeTemporary', 'saveToken', 'getToken', 'revokeToken'] as const;

function endpoint<C extends ProviderClientRecord, T extends TokenRecord>(options: VerifierOptions<C, T>): Endpoint<C, T> {
  const issued = new WeakSet<VerifiedRequest<C, T>>();
  const verifier = buildVerifier(compileVerifierOptions(options), {
    finish: (verified) => {
      issued.add(verified);
      return verified;
    },
  });
  return { verifier, issued };
}

function checkStore(value: unknown): ProviderStore {
  if (value === undefined) throw missingOption('options.store', '(see createMemoryProviderStore)');
  const store = object<ProviderStore>(value, 'options.store');
  for (const name of STORE_METHODS) fn(store[name], `options.store.${name}`);
  return store;
}

/** Checks the provider's options (a TypeError naming the option) and builds its endpoints' verifiers. */
export function providerSettings<C extends ProviderClientRecord>(options: ProviderOptions<C>): ProviderSettings<C> {
  const opts = object<ProviderOptions<C>>(options, 'options');
  const { store, temporaryTtl, allowTemporary, allowHttp, tokenRequired, requireBodyHash, ...shared } = opts;
  if ((opts as { lookupToken?: unknown }).lookupToken !== undefined) {
    throw invalidArgValue('options.lookupToken', 'is not used: the provider reads tokens from options.store');
  }
  const checkedStore = checkStore(store);
  // One nonce store for every endpoint, so one bound covers them all.
  const common = { ...shared, nonceStore: shared.nonceStore ?? createMemoryNonceStore() };
  return {
    store: checkedStore,
    temporaryTtl: seconds(temporaryTtl, 'options.temporaryTtl', 600, { positive: true }),
    allowTemporary: optionalFn(allowTemporary, 'options.allowTemporary'),
    allowHttp: boolean(allowHttp, 'options.allowHttp', false),
    clock: optionalFn<() => number>(shared.clock, 'options.clock') ?? Date.now,
    fail: problemFactory(shared.realm),
    // RFC 5849 §2.1: signed with client credentials only (an empty oauth_token is none).
    temporary: endpoint<C, TokenRecord>({ ...common, tokenRequired: false }),
    // RFC 5849 §2.3: signed with the temporary credentials. Used and expired
    // ones are found too, so that the answer (token_used, token_expired) is
    // given only to a request that proves it holds their secret.
    token: endpoint<C, TemporaryCredentialsRecord>({ ...common, tokenRequired: true, lookupToken: (key) => checkedStore.getTemporary(key) }),
    // Protected resources, with the token credentials in the store (the
    // verifier refuses a token presented by a client it was not issued to).
    resource: buildVerifier(
      compileVerifierOptions<C, TokenCredentialsRecord>({
        ...common,
        ...(tokenRequired !== undefined ? { tokenRequired } : {}),
        ...(requireBodyHash !== undefined ? { requireBodyHash } : {}),
        lookupToken: (key) => checkedStore.getToken(key),
      }),
      { finish: (verified) => verified },
    ),
  };
}
