/**
 * What a provider profile is: the documented rules of one OAuth 1.0
 * provider as data (endpoints, signature method, placement, realm, token
 * use, authorize-page parameters, pitfalls, sources), and the few functions
 * that turn them into options for `sign()`, `createSignedFetch()`
 * and the flow helpers.
 *
 * Every provider module builds its profile with {@link defineProfile}; the
 * rules it passes cite the provider's public documentation.
 * @module
 */
import type { ClientCredentials, SignOptions, TokenCredentials } from '../../client/sign.js';
import { authorizationUrl as buildAuthorizationUrl, type FlowRequestOptions } from '../../client/flow.js';
import type { SignedFetchOptions } from '../../client/signed-fetch.js';
import { invalidArgValue } from '../../core/errors.js';
import { absoluteUrl as checkAbsoluteUrl, object } from '../../core/validate.js';
import type { BodyHashAlgorithm, SignatureMethod } from '../../methods/types.js';

type Fetch = typeof fetch;

/** One credentials endpoint of RFC 5849 §2. @group Providers */
export interface ProviderEndpoint {
  readonly url: string;
  readonly method: 'GET' | 'POST';
}

/** The resource-owner authorization page (RFC 5849 §2.2) and what it takes. @group Providers */
export interface ProviderAuthorization {
  readonly url: string;
  /** The query parameter that carries the temporary credentials' identifier (`oauth_token` unless documented otherwise). */
  readonly tokenParameter: string;
  /** Parameters the provider documents for this page, with the profile's values. */
  readonly params: Readonly<Record<string, string>>;
}

/** Where a provider's endpoints are. @group Providers */
export interface ProviderEndpoints {
  readonly temporaryCredentials?: ProviderEndpoint;
  readonly authorization?: ProviderAuthorization;
  readonly tokenCredentials?: ProviderEndpoint;
  /** Base URL of the API the credentials are for. */
  readonly api?: string;
}

/** The credentials a profile signs with. @group Providers */
export interface ProviderCredentials {
  client: ClientCredentials;
  token?: TokenCredentials | undefined;
}

/** Options of `requestTemporaryCredentials()`, as a profile fills them. @group Providers */
export type TemporaryCredentialsRequest = FlowRequestOptions & { callback?: string; requireCallbackConfirmed?: boolean };
/** Options of `requestTokenCredentials()`, as a profile fills them. @group Providers */
export type TokenCredentialsRequest = FlowRequestOptions & { temporary: TokenCredentials; verifier: string };

/** The rules of a provider, as data. @group Providers */
export interface ProviderRules {
  /** Stable identifier (`netsuite`, `x`, …), also the CLI's `--provider` name. */
  readonly id: string;
  /** Name for people. */
  readonly name: string;
  /** The method the profile signs with. */
  readonly signatureMethod: SignatureMethod;
  /** Every method the provider accepts; `signatureMethod` is one of them. */
  readonly signatureMethods: readonly SignatureMethod[];
  /** Where the protocol parameters go. */
  readonly placement: 'header' | 'query';
  /** Whether `oauth_version="1.0"` is sent. */
  readonly includeVersion: boolean;
  /** `oauth_body_hash` on every request that has no form body (GET included), with this hash; false: never. */
  readonly bodyHash: false | BodyHashAlgorithm;
  /** `realm` of the Authorization header, if the provider wants one. */
  readonly realm: string | undefined;
  /**
   * `required`: API calls carry token credentials (three-legged);
   * `optional`: with or without; `none`: client credentials only (a token is refused).
   */
  readonly tokens: 'required' | 'optional' | 'none';
  /** Send `oauth_token=""` when there is no token (Schoology's two-legged requests). */
  readonly emptyToken: boolean;
  /** The only callback the provider accepts (E*TRADE: `oob`), if any. */
  readonly callback: string | undefined;
  /** Whether the provider confirms the callback (`oauth_callback_confirmed=true`). */
  readonly requireCallbackConfirmed: boolean;
  /** Headers the provider requires on every request (Discogs: a User-Agent). */
  readonly headers: Readonly<Record<string, string>>;
  readonly endpoints: ProviderEndpoints;
  /** What goes wrong in practice, one sentence each. */
  readonly pitfalls: readonly string[];
  /** The public documentation the rules come from. */
  readonly sources: readonly string[];
}

/** A provider profile: its rules and the options they give. @group Providers */
export interface ProviderProfile extends ProviderRules {
  /**
   * Options for `sign()`: the profile's method, placement, version,
   * body hash and realm with these credentials. `overrides` may pick
   * another method the provider accepts, or set a nonce and timestamp.
   */
  signOptions(credentials: ProviderCredentials, overrides?: Partial<Omit<SignOptions, 'client' | 'token'>>): SignOptions;
  /** Options for `createSignedFetch()`. `fetch` is wrapped to add the provider's required headers. */
  signedFetchOptions(credentials: ProviderCredentials, overrides?: { fetch?: Fetch; signatureMethod?: SignatureMethod }): SignedFetchOptions;
  /** Options for `requestTemporaryCredentials()`. */
  temporaryCredentialsRequest(client: ClientCredentials, options?: { callback?: string; fetch?: Fetch }): TemporaryCredentialsRequest;
  /** The URL to send the resource owner to, with the provider's documented parameters (overridable through `extra`). */
  authorizationUrl(temporaryKey: string, extra?: Record<string, string>): string;
  /** Options for `requestTokenCredentials()`. */
  tokenCredentialsRequest(client: ClientCredentials, temporary: TokenCredentials, verifier: string, options?: { fetch?: Fetch }): TokenCredentialsRequest;
  /**
   * Checks a request URL against the provider's documented rules (NetSuite:
   * the account's host spelling) and throws a TypeError saying what is
   * wrong; the signed fetch of {@link signedFetchOptions} runs it before
   * every request.
   */
  checkUrl(url: string | URL): void;
}

/** What a provider module hands to {@link defineProfile}. @internal */
export interface ProfileSpec extends Partial<Omit<ProviderRules, 'id' | 'name' | 'signatureMethod' | 'endpoints' | 'sources'>> {
  id: string;
  name: string;
  signatureMethod: SignatureMethod;
  endpoints: ProviderEndpoints;
  sources: readonly string[];
  /** Extra check of a request URL (a host spelled the wrong way, …): throws a TypeError saying why. */
  checkUrl?(url: URL): void;
}

/** Adds headers to every request of a fetch, without replacing ones the caller set. @internal */
export function withHeaders(f: Fetch, headers: Readonly<Record<string, string>>): Fetch {
  const entries = Object.entries(headers);
  if (entries.length === 0) return f;
  const wrapped = (input: string | URL | Request, init: RequestInit = {}) => {
    const h = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
    for (const [name, value] of entries) if (!h.has(name)) h.set(name, value);
    return f(input, { ...init, headers: h });
  };
  return wrapped as Fetch;
}

/** Checks that a URL is absolute http(s), for a profile's options. @internal */
export function absoluteUrl(value: unknown, path: string): URL {
  return new URL(checkAbsoluteUrl(value, path));
}

/** Joins a base URL and a path with exactly one slash. @internal */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function freezeRules(spec: ProfileSpec): ProviderRules {
  return Object.freeze({
    id: spec.id,
    name: spec.name,
    signatureMethod: spec.signatureMethod,
    signatureMethods: Object.freeze([...(spec.signatureMethods ?? [spec.signatureMethod])]),
    placement: spec.placement ?? 'header',
    includeVersion: spec.includeVersion ?? true,
    bodyHash: spec.bodyHash ?? false,
    realm: spec.realm,
    tokens: spec.tokens ?? 'required',
    emptyToken: spec.emptyToken ?? false,
    callback: spec.callback,
    requireCallbackConfirmed: spec.requireCallbackConfirmed ?? true,
    headers: Object.freeze({ ...(spec.headers ?? {}) }),
    endpoints: spec.endpoints,
    pitfalls: Object.freeze([...(spec.pitfalls ?? [])]),
    sources: Object.freeze([...spec.sources]),
  });
}

/** The method to sign with: the profile's, or another the provider accepts. */
function methodOf(rules: ProviderRules, chosen: SignatureMethod | undefined, path: string): SignatureMethod {
  if (chosen === undefined) return rules.signatureMethod;
  if (!rules.signatureMethods.includes(chosen)) {
    throw invalidArgValue(path, `"${chosen}" is not accepted by ${rules.name} (it accepts ${rules.signatureMethods.join(', ')})`);
  }
  return chosen;
}

/** The credentials to sign with, after the provider's token rules. */
function credentialsOf(rules: ProviderRules, c: ProviderCredentials, path: string): { client: ClientCredentials; token: TokenCredentials | undefined } {
  object(c, path, 'an object with client (and token) credentials');
  const client = object<ClientCredentials>(c.client, `${path}.client`, 'an object with a key');
  let token = c.token;
  if (token !== undefined && rules.tokens === 'none') {
    throw invalidArgValue(`${path}.token`, `${rules.name} signs with client credentials only; leave the token out`);
  }
  if (token === undefined && rules.emptyToken) token = { key: '', secret: '' };
  return { client, token };
}

function signOptionsOf(rules: ProviderRules, c: ProviderCredentials, overrides: Partial<Omit<SignOptions, 'client' | 'token'>>): SignOptions {
  const { client, token } = credentialsOf(rules, c, 'credentials');
  const opts: SignOptions = { client, includeVersion: rules.includeVersion, placement: rules.placement, ...overrides };
  opts.signatureMethod = methodOf(rules, overrides.signatureMethod, 'overrides.signatureMethod');
  if (token !== undefined) opts.token = token;
  if (rules.realm !== undefined && overrides.realm === undefined) opts.realm = rules.realm;
  if (rules.bodyHash !== false && overrides.bodyHash === undefined) opts.bodyHash = rules.bodyHash;
  return opts;
}

function signedFetchOptionsOf(
  rules: ProviderRules,
  checkUrl: (url: string | URL) => void,
  c: ProviderCredentials,
  overrides: { fetch?: Fetch; signatureMethod?: SignatureMethod },
  checks: boolean,
): SignedFetchOptions {
  const { client, token } = credentialsOf(rules, c, 'credentials');
  const opts: SignedFetchOptions = {
    client,
    signatureMethod: methodOf(rules, overrides.signatureMethod, 'overrides.signatureMethod'),
    includeVersion: rules.includeVersion,
    placement: rules.placement,
  };
  if (token !== undefined) opts.token = token;
  if (rules.realm !== undefined) opts.realm = rules.realm;
  if (rules.bodyHash !== false) opts.bodyHash = rules.bodyHash;
  let wrapped = withHeaders(overrides.fetch ?? globalThis.fetch, rules.headers);
  if (checks) {
    const inner = wrapped;
    wrapped = ((input: string | URL | Request, init?: RequestInit) => {
      checkUrl(input instanceof Request ? input.url : input);
      return inner(input, init);
    }) as Fetch;
  }
  if (wrapped !== globalThis.fetch) opts.fetch = wrapped;
  return opts;
}

function flowRequestOf(rules: ProviderRules, client: ClientCredentials, endpoint: ProviderEndpoint | undefined, what: string, f: Fetch | undefined): FlowRequestOptions {
  if (endpoint === undefined) throw invalidArgValue('profile', `${rules.name} has no ${what} endpoint (see its documentation: ${rules.sources[0] ?? ''})`);
  const out: FlowRequestOptions = { url: endpoint.url, client, signatureMethod: rules.signatureMethod, method: endpoint.method, includeVersion: rules.includeVersion };
  if (rules.realm !== undefined) out.realm = rules.realm;
  if (rules.placement !== 'header') out.placement = rules.placement;
  const headersFetch = f ?? (Object.keys(rules.headers).length ? globalThis.fetch : undefined);
  if (headersFetch !== undefined) out.fetch = withHeaders(headersFetch, rules.headers);
  return out;
}

function temporaryRequestOf(rules: ProviderRules, client: ClientCredentials, options: { callback?: string; fetch?: Fetch }): TemporaryCredentialsRequest {
  const out: TemporaryCredentialsRequest = flowRequestOf(rules, client, rules.endpoints.temporaryCredentials, 'temporary credentials', options.fetch);
  if (rules.callback !== undefined && options.callback !== undefined && options.callback !== rules.callback) {
    throw invalidArgValue('options.callback', `${rules.name} accepts only "${rules.callback}" as oauth_callback`);
  }
  const callback = options.callback ?? rules.callback;
  if (callback !== undefined) out.callback = callback;
  out.requireCallbackConfirmed = rules.requireCallbackConfirmed;
  return out;
}

function authorizationUrlOf(rules: ProviderRules, temporaryKey: string, extra: Record<string, string>): string {
  const page = rules.endpoints.authorization;
  if (page === undefined) throw invalidArgValue('profile', `${rules.name} has no resource-owner authorization page`);
  return buildAuthorizationUrl(page.url, temporaryKey, { ...page.params, ...extra }, { tokenParameter: page.tokenParameter });
}

/**
 * Builds a profile from its rules. The functions check what the provider's
 * documentation rules out (a signature method it does not accept, a token
 * for a provider that signs with client credentials only) and say why, in
 * a TypeError naming the option.
 * @internal
 */
export function defineProfile<E extends object = object>(spec: ProfileSpec, extension?: E): ProviderProfile & E {
  const rules = freezeRules(spec);
  const checkUrl = (url: string | URL): void => {
    const parsed = absoluteUrl(url instanceof URL ? url.href : url, 'url');
    spec.checkUrl?.(parsed);
  };
  const profile: ProviderProfile = {
    ...rules,
    signOptions: (c, overrides = {}) => signOptionsOf(rules, c, overrides),
    signedFetchOptions: (c, overrides = {}) => signedFetchOptionsOf(rules, checkUrl, c, overrides, spec.checkUrl !== undefined),
    temporaryCredentialsRequest: (client, options = {}) => temporaryRequestOf(rules, client, options),
    authorizationUrl: (temporaryKey, extra = {}) => authorizationUrlOf(rules, temporaryKey, extra),
    tokenCredentialsRequest: (client, temporary, verifier, options = {}) => ({
      ...flowRequestOf(rules, client, rules.endpoints.tokenCredentials, 'token credentials', options.fetch),
      temporary,
      verifier,
    }),
    checkUrl,
  };
  return Object.freeze(Object.assign(profile, extension ?? {})) as ProviderProfile & E;
}
