/**
 * The server side of RFC 5849 §2: the temporary credential, resource owner
 * authorization and token endpoints, direct issuance and revocation of token
 * credentials, over storage the server keeps (through callbacks, as for the
 * verifier).
 *
 * Every endpoint authenticates the request with the verifier's ordered checks
 * first; the state checks of the flow (callback, limit, verifier, one-time
 * use, expiry) run only for an authenticated request.
 *
 * @module
 */
import { constantTimeEqual, random } from '../../methods/crypto/node.js';
import { formatForm } from '../../core/encoding.js';
import { OAuthError, invalidArgType, invalidArgValue, missingOption, type OAuthErrorOptions, type OAuthProblem } from '../../core/errors.js';
import { generateCredentials } from '../../client/flow.js';
import { createMemoryNonceStore, type Awaitable } from '../nonce-store.js';
import { appendQuery, type HttpRequestLike } from '../../core/request.js';
import {
  createVerifier,
  type ClientRecord,
  type TokenRecord,
  type VerifiedRequest,
  type Verifier,
  type VerifierOptions,
  type VerifyExtra,
} from '../verifier/index.js';

/**
 * A client as a provider knows it: the verifier's {@link ClientRecord} plus
 * the callback URLs registered for it.
 *
 * @example
 * ```ts
 * const client: ProviderClientRecord = { secret: 's3cr3t', callbacks: ['https://app.example/oauth/cb', 'oob'] };
 * ```
 * @see RFC 5849 §2.1
 * @group Provider
 */
export interface ProviderClientRecord extends ClientRecord {
  /**
   * Registered callbacks. When the list is not empty, `oauth_callback` must
   * match one of them: the same URL (scheme, user info, host, port, path),
   * with the same query when the registered URL has one, any query when it
   * has none; `'oob'` is accepted only when listed. Empty or absent: any
   * absolute URI, or `'oob'`.
   */
  callbacks?: readonly string[] | undefined;
}

/**
 * Temporary credentials as the provider stores them (RFC 5849 §2.1), from
 * issuance until they are exchanged or expire.
 *
 * @example
 * ```ts
 * const pending: TemporaryCredentialsRecord = { key: 'hdk48Djdsa', secret: 'xyz4992k83j47x0b', clientKey: 'ck',
 *   callback: 'https://app.example/cb', createdAt: Date.now(), expiresAt: Date.now() + 600_000 };
 * ```
 * @see RFC 5849 §2.1, §2.2
 * @group Provider
 */
export interface TemporaryCredentialsRecord {
  /** `oauth_token` of the temporary credentials. */
  key: string;
  /** Their shared secret. */
  secret: string;
  /** The client they were issued to. */
  clientKey: string;
  /** `oauth_callback` as the client sent it: an absolute URI, or `'oob'`. */
  callback: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Milliseconds since the epoch; past it they are refused (`token_expired`). A store may drop them then. */
  expiresAt: number;
  /** Set by {@link ProviderStore.approveTemporary} when the resource owner approved. */
  verifier?: string | undefined;
  /** The resource owner who approved. */
  owner?: string | undefined;
  /** What the resource owner approved (scope, duration…), carried to the token credentials. */
  attributes?: Readonly<Record<string, unknown>> | undefined;
  /** Set by a store that keeps used records until they expire, so a second exchange is answered `token_used`. */
  used?: boolean | undefined;
}

/**
 * Token credentials as the provider stores them. It is the verifier's
 * {@link TokenRecord}: `revoked` makes the verifier answer 401
 * `token_revoked`.
 *
 * @example
 * ```ts
 * const token: TokenCredentialsRecord = { key: 'j49ddk933skd9dks', secret: 'll399dj47dskfjdk',
 *   clientKey: 'ck', owner: 'user-42', createdAt: Date.now() };
 * ```
 * @see RFC 5849 §2.3
 * @group Provider
 */
export interface TokenCredentialsRecord extends TokenRecord {
  key: string;
  secret: string;
  /** The client they were issued to; a request signed by another client is refused (`token_rejected`). */
  clientKey: string;
  /** The resource owner they act for. */
  owner: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** What the resource owner approved, to enforce on each request (RFC 5849 §2.3). */
  attributes?: Readonly<Record<string, unknown>> | undefined;
  /** Set by {@link ProviderStore.revokeToken}. */
  revoked?: boolean;
}

/**
 * What {@link ProviderStore.approveTemporary} records: the resource owner's decision.
 *
 * @example
 * ```ts
 * const approval: TemporaryApproval = { verifier: 'Qk3-…', owner: 'user-42', attributes: { scope: 'read' } };
 * ```
 * @see RFC 5849 §2.2
 * @group Provider
 */
export interface TemporaryApproval {
  verifier: string;
  owner: string;
  attributes?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The server's storage for the flow, as callbacks. Each may answer
 * synchronously or with a promise, and answers `null` or `undefined` for
 * "not found".
 *
 * Two of them must be atomic, because they are what makes temporary
 * credentials usable once:
 *
 * - `approveTemporary` records the approval only if the record exists, is
 *   unused and is not approved yet (SQL: `UPDATE … WHERE key = ? AND
 *   verifier IS NULL AND used = false RETURNING *`);
 * - `takeTemporary` hands the record out to one caller only: of two
 *   concurrent calls with one key, at most one gets it, the other gets
 *   `null` (SQL: `UPDATE … SET used = true WHERE key = ? AND used = false
 *   RETURNING *`, or `DELETE … RETURNING *`; Redis: `GETDEL`, or a script
 *   that sets `used`).
 *
 * A store may drop temporary records once `expiresAt` has passed (Redis:
 * `PX expiresAt - createdAt`); keeping used ones until then lets a second
 * exchange be answered `token_used` rather than `token_rejected`.
 * `revokeToken` should keep the record, marked `revoked`, so that requests
 * made with it are answered `token_revoked`.
 *
 * @example A store over a SQL database (sketch)
 * ```ts
 * const store: ProviderStore = {
 *   saveTemporary: (r) => db.insert('oauth_temporary', r),
 *   getTemporary: (key) => db.one('SELECT * FROM oauth_temporary WHERE key = $1', [key]),
 *   approveTemporary: (key, a) => db.one(
 *     'UPDATE oauth_temporary SET verifier = $2, owner = $3, attributes = $4 WHERE key = $1 AND verifier IS NULL AND NOT used RETURNING *',
 *     [key, a.verifier, a.owner, a.attributes]),
 *   takeTemporary: (key) => db.one('UPDATE oauth_temporary SET used = true WHERE key = $1 AND NOT used RETURNING *', [key]),
 *   saveToken: (r) => db.insert('oauth_token', r),
 *   getToken: (key) => db.one('SELECT * FROM oauth_token WHERE key = $1', [key]),
 *   revokeToken: async (key) => (await db.run('UPDATE oauth_token SET revoked = true WHERE key = $1', [key])).rowCount > 0,
 * };
 * ```
 * @see RFC 5849 §2 (temporary credentials used once, limited lifetime; token credentials revocable)
 * @group Provider
 */
export interface ProviderStore {
  /** Stores new temporary credentials. */
  saveTemporary(record: TemporaryCredentialsRecord): Awaitable<void>;
  /** Reads temporary credentials (used ones too, if the store keeps them). */
  getTemporary(key: string): Awaitable<TemporaryCredentialsRecord | null | undefined>;
  /** Atomically records the approval if unused and not yet approved; returns the updated record, else `null`. */
  approveTemporary(key: string, approval: TemporaryApproval): Awaitable<TemporaryCredentialsRecord | null | undefined>;
  /** Atomically takes unused temporary credentials: the first caller gets the record as it was, later ones `null`. */
  takeTemporary(key: string): Awaitable<TemporaryCredentialsRecord | null | undefined>;
  /** Stores new token credentials. */
  saveToken(record: TokenCredentialsRecord): Awaitable<void>;
  /** Reads token credentials (revoked ones too). */
  getToken(key: string): Awaitable<TokenCredentialsRecord | null | undefined>;
  /** Marks token credentials revoked; `true` when they existed. */
  revokeToken(key: string): Awaitable<boolean>;
}

/**
 * Options of {@link createProvider}: the verifier's options (they apply to
 * every endpoint and to {@link Provider.verifier}; `tokenRequired` and
 * `requireBodyHash` only to the latter), plus the store and the flow's own
 * settings.
 *
 * @example
 * ```ts
 * const options: ProviderOptions = {
 *   lookupClient: (key) => clients.get(key),
 *   store: createMemoryProviderStore(),
 *   temporaryTtl: 300,
 *   allowTemporary: (clientKey) => store.countTemporary(clientKey) < 20,
 * };
 * ```
 * @see RFC 5849 §2, §4.10
 * @group Provider
 */
export interface ProviderOptions<C extends ProviderClientRecord = ProviderClientRecord>
  extends Omit<VerifierOptions<C, TokenCredentialsRecord>, 'lookupToken'> {
  store: ProviderStore;
  /** Seconds temporary credentials stay usable, from issuance to exchange. Default 600. */
  temporaryTtl?: number;
  /**
   * Called for an authenticated temporary credentials request, before
   * anything is stored. Answer `true` to go on; anything else refuses it
   * with 429 `consumer_key_rejected` (a client holding too many, asking too
   * fast).
   * Issuing temporary credentials costs storage, so it is a denial-of-service
   * target (RFC 5849 §4.10).
   */
  allowTemporary?(clientKey: string, request: VerifiedRequest<C, TokenRecord>): Awaitable<boolean>;
  /**
   * The temporary credential and token endpoints answer with secrets in
   * clear, so they refuse a request that was not made over https (RFC 5849
   * §2.1, §2.3), except to a loopback host (`localhost`, `127.0.0.0/8`,
   * `[::1]`). True allows plain http everywhere. Default false.
   */
  allowHttp?: boolean;
}

/**
 * A request for an endpoint: the request itself, or a function that verifies
 * it with the verifier it is handed, so any adapter can read the body (it
 * must return what that verifier returned).
 *
 * @example With node:http
 * ```ts
 * import { verifyNodeRequest } from 'oauth1/node';
 * const answer = await provider.requestTemporaryCredentials((verifier) => verifyNodeRequest(verifier, req));
 * ```
 * @see RFC 5849 §2.1, §2.3
 * @group Provider
 */
export type ProviderRequest<C extends ProviderClientRecord = ProviderClientRecord> =
  | HttpRequestLike
  | ((verifier: Verifier<C, TokenRecord>) => Promise<VerifiedRequest<C, TokenRecord>>);

/**
 * An endpoint's answer: send `status`, `headers` and `body` as they are.
 * `record` is what was stored (it holds the secret: never log it).
 *
 * @example
 * ```ts
 * const answer = await provider.requestTokenCredentials(req);
 * res.writeHead(answer.status, answer.headers).end(answer.body);
 * ```
 * @see RFC 5849 §2.1, §2.3
 * @group Provider
 */
export interface CredentialsResponse<R> {
  status: 200;
  /** `Content-Type: application/x-www-form-urlencoded`, `Cache-Control: no-store`. */
  headers: Record<string, string>;
  /** `oauth_token=…&oauth_token_secret=…` (and `oauth_callback_confirmed=true` for temporary credentials). */
  body: string;
  record: R;
}

/**
 * What a consent page needs to show about a pending request (RFC 5849 §2.2:
 * the server should tell the resource owner which client asks).
 *
 * @example
 * ```ts
 * const { clientKey, callback } = await provider.pendingAuthorization(query.get('oauth_token')!);
 * ```
 * @see RFC 5849 §2.2
 * @group Provider
 */
export interface PendingAuthorization {
  clientKey: string;
  /** The callback the resource owner will be sent back to, or `'oob'`. */
  callback: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/**
 * The resource owner's approval, recorded: where to send them next, or the
 * verifier to show them when the callback is `'oob'`.
 *
 * @example
 * ```ts
 * const { redirectTo, verifier } = await provider.authorize(temporaryKey, { owner: session.userId });
 * if (redirectTo) res.redirect(303, redirectTo); else res.render('show-code', { verifier });
 * ```
 * @see RFC 5849 §2.2
 * @group Provider
 */
export interface Authorization extends PendingAuthorization {
  /** `oauth_verifier`: 160 random bits, base64url (27 characters). */
  verifier: string;
  /** The callback with `oauth_token` and `oauth_verifier` appended to its query; `undefined` for `'oob'`. */
  redirectTo: string | undefined;
}

/**
 * What {@link createProvider} returns.
 *
 * @example
 * ```ts
 * const provider: Provider = createProvider({ lookupClient, store: createMemoryProviderStore() });
 * ```
 * @see RFC 5849 §2
 * @group Provider
 */
export interface Provider<C extends ProviderClientRecord = ProviderClientRecord> {
  /**
   * Temporary credential request endpoint (RFC 5849 §2.1): a request signed
   * with client credentials only, carrying `oauth_callback`.
   */
  requestTemporaryCredentials(req: ProviderRequest<C>, extra?: VerifyExtra): Promise<CredentialsResponse<TemporaryCredentialsRecord>>;
  /** The pending request behind `oauth_token` on the authorization page (RFC 5849 §2.2). */
  pendingAuthorization(temporaryKey: string): Promise<PendingAuthorization>;
  /**
   * Records that the resource owner approved (RFC 5849 §2.2). Call it only
   * from the owner's own, explicit decision, never automatically (§4.15):
   * from a POST on your consent page, with CSRF protection (§4.13) and
   * framing refused (§4.14).
   */
  authorize(temporaryKey: string, approval: { owner: string; attributes?: Readonly<Record<string, unknown>> | undefined }): Promise<Authorization>;
  /** Token request endpoint (RFC 5849 §2.3): temporary credentials and `oauth_verifier` for token credentials. */
  requestTokenCredentials(req: ProviderRequest<C>, extra?: VerifyExtra): Promise<CredentialsResponse<TokenCredentialsRecord>>;
  /** Token credentials for a resource owner without the redirection flow (a developer portal's "access token"). */
  issueTokenCredentials(grant: { clientKey: string; owner: string; attributes?: Readonly<Record<string, unknown>> | undefined }): Promise<TokenCredentialsRecord>;
  /** Revokes token credentials; later requests with them get 401 `token_revoked`. `true` when they existed. */
  revokeToken(key: string): Promise<boolean>;
  /** Verifies requests for protected resources with the token credentials in the store. */
  readonly verifier: Verifier<C, TokenCredentialsRecord>;
}

const FORM_HEADERS = { 'Content-Type': 'application/x-www-form-urlencoded', 'Cache-Control': 'no-store' } as const;
const STORE_METHODS = ['saveTemporary', 'getTemporary', 'approveTemporary', 'takeTemporary', 'saveToken', 'getToken', 'revokeToken'] as const;
// Callbacks that would run script in the browser the resource owner is sent back with.
const SCRIPT_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'blob:']);

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** The URL without query and fragment, normalized by the URL parser. */
function withoutQuery(url: URL): string {
  const copy = new URL(url.href);
  copy.search = '';
  copy.hash = '';
  return copy.href;
}

/** Why `callback` is refused for a client with these registered callbacks, or undefined. */
function callbackProblem(callback: string, registered: readonly string[] | undefined): string | undefined {
  const list = Array.isArray(registered) ? registered.filter((r): r is string => typeof r === 'string') : [];
  // RFC 5849 §2.1: "oob" (case sensitive) when the client cannot receive callbacks.
  if (callback === 'oob') return list.length === 0 || list.includes('oob') ? undefined : 'out-of-band ("oob") is not registered for this client';
  let url: URL;
  try {
    url = new URL(callback);
  } catch {
    return 'must be an absolute URI or "oob"';
  }
  if (callback.includes('#')) return 'must not have a fragment';
  if (SCRIPT_SCHEMES.has(url.protocol)) return `must not use the ${url.protocol} scheme`;
  if (list.length === 0) return undefined;
  for (const entry of list) {
    if (entry === 'oob') continue;
    let reg: URL;
    try {
      reg = new URL(entry);
    } catch {
      continue;
    }
    if (withoutQuery(reg) === withoutQuery(url) && (reg.search === '' || reg.search === url.search)) return undefined;
  }
  return 'does not match a callback registered for this client';
}

/** 160 random bits, base64url: an `oauth_verifier`. */
function newVerifier(): string {
  return random(20).toString('base64url');
}

function param(verified: VerifiedRequest<any, any>, name: string): string | undefined {
  for (const [n, v] of verified.oauthParams) if (n === name) return v;
  return undefined;
}

function checkTemporaryKey(value: unknown): string {
  if (typeof value !== 'string') throw invalidArgType('temporaryKey', 'a string');
  if (value.length === 0) throw invalidArgValue('temporaryKey', 'must not be empty');
  return value;
}

function checkGrant(owner: unknown, attributes: unknown, path: string): void {
  if (typeof owner !== 'string') throw invalidArgType(`${path}.owner`, 'a string (the resource owner)');
  if (owner.length === 0) throw invalidArgValue(`${path}.owner`, 'must not be empty');
  if (attributes !== undefined && (typeof attributes !== 'object' || attributes === null)) throw invalidArgType(`${path}.attributes`, 'an object');
}

/**
 * Creates the provider side of RFC 5849 §2 over the server's storage.
 * Options are checked here, once. The endpoints:
 *
 * 1. `requestTemporaryCredentials` verifies a request signed with client
 *    credentials only (an empty `oauth_token` is accepted, RFC 5849 §2.1),
 *    requires `oauth_callback` (absolute URI or `oob`, matched against the
 *    client's registered callbacks), asks `allowTemporary`, then stores
 *    temporary credentials valid `temporaryTtl` seconds and answers
 *    `oauth_token`, `oauth_token_secret`, `oauth_callback_confirmed=true`.
 * 2. `pendingAuthorization` and `authorize` serve the authorization page.
 *    Nothing is ever approved automatically: the verifier exists only once
 *    `authorize` is called, and a token request made before is refused with
 *    401 `permission_unknown` (RFC 5849 §4.15).
 * 3. `requestTokenCredentials` verifies a request signed with the temporary
 *    credentials; then, in order: `oauth_verifier` present (400
 *    `parameter_absent`), issued to this client (401 `token_rejected`), not
 *    used (401 `token_used`), not expired (401 `token_expired`), approved
 *    (401 `permission_unknown`); then it takes them from the store atomically
 *    (a concurrent exchange gets `token_used`) and compares the verifier in
 *    constant time (401 `verifier_invalid`). Once taken they are spent, a
 *    wrong verifier included, so a verifier cannot be guessed twice.
 * 4. `verifier` verifies requests for protected resources (401
 *    `token_revoked` after `revokeToken`).
 *
 * Credentials come from {@link generateCredentials} (192-bit key, 256-bit
 * secret), verifiers are 160 random bits; all base64url. Failures throw
 * {@link OAuthError}; answer them as the adapters do.
 *
 * @example The three endpoints and a protected resource with Express
 * ```ts
 * const store = createMemoryProviderStore();
 * const provider = createProvider({ lookupClient: (key) => clients.get(key), store });
 * app.post('/oauth/request_token', async (req, res) => {
 *   const a = await provider.requestTemporaryCredentials({ method: 'POST', url: fullUrl(req), headers: req.headers, body: req.rawBody });
 *   res.status(a.status).set(a.headers).send(a.body);
 * });
 * app.post('/oauth/authorize', requireLogin, async (req, res) => {  // the owner clicked "Allow"
 *   const { redirectTo, verifier } = await provider.authorize(req.body.oauth_token, { owner: req.user.id });
 *   redirectTo ? res.redirect(303, redirectTo) : res.render('code', { verifier });
 * });
 * app.post('/oauth/access_token', async (req, res) => {
 *   const a = await provider.requestTokenCredentials({ method: 'POST', url: fullUrl(req), headers: req.headers, body: req.rawBody });
 *   res.status(a.status).set(a.headers).send(a.body);
 * });
 * app.get('/api/me', expressMiddleware(provider.verifier), (req, res) => res.json({ owner: req.oauth.token.owner }));
 * ```
 * @throws TypeError naming the option for a programmer's mistake.
 * @see RFC 5849 §2, §4.9, §4.10, §4.13, §4.15
 * @group Provider
 */
export function createProvider<C extends ProviderClientRecord = ProviderClientRecord>(opts: ProviderOptions<C>): Provider<C> {
  if (typeof opts !== 'object' || opts === null) throw invalidArgType('options', 'an object');
  const { store, temporaryTtl = 600, allowTemporary, allowHttp = false, tokenRequired, requireBodyHash, ...shared } = opts;
  if (store === undefined) throw missingOption('options.store', '(see createMemoryProviderStore)');
  if (typeof store !== 'object' || store === null) throw invalidArgType('options.store', 'an object');
  for (const name of STORE_METHODS) {
    if (typeof store[name] !== 'function') throw invalidArgType(`options.store.${name}`, 'a function');
  }
  if (typeof temporaryTtl !== 'number' || !Number.isFinite(temporaryTtl) || temporaryTtl <= 0) {
    throw invalidArgValue('options.temporaryTtl', 'must be a positive number of seconds');
  }
  if (allowTemporary !== undefined && typeof allowTemporary !== 'function') throw invalidArgType('options.allowTemporary', 'a function');
  if (typeof allowHttp !== 'boolean') throw invalidArgType('options.allowHttp', 'a boolean');
  if ('lookupToken' in opts && (opts as { lookupToken?: unknown }).lookupToken !== undefined) {
    throw invalidArgValue('options.lookupToken', 'is not used: the provider reads tokens from options.store');
  }
  const clock = shared.clock ?? Date.now;
  const realm = shared.realm;
  // One nonce store for every endpoint, so one bound covers them all.
  const common = { ...shared, nonceStore: shared.nonceStore ?? createMemoryNonceStore() };

  const fail = (status: number, problem: OAuthProblem, message: string, details: OAuthErrorOptions = {}): OAuthError =>
    new OAuthError(status, problem, message, { ...(realm !== undefined ? { realm } : {}), ...details });

  /** A verifier whose results are remembered, so a request function cannot hand back another verifier's result. */
  function endpoint<T extends TokenRecord>(options: VerifierOptions<C, T>): { verifier: Verifier<C, T>; issued: WeakSet<object> } {
    const inner = createVerifier<C, T>(options);
    const issued = new WeakSet<object>();
    const verifier: Verifier<C, T> = {
      ...inner,
      async verify(req, extra) {
        const result = await inner.verify(req, extra);
        issued.add(result);
        return result;
      },
    };
    return { verifier, issued };
  }

  async function run<T extends TokenRecord>(
    ep: { verifier: Verifier<C, T>; issued: WeakSet<object> },
    req: ProviderRequest<C>,
    extra: VerifyExtra | undefined,
  ): Promise<VerifiedRequest<C, T>> {
    if (typeof req === 'function') {
      const result = await req(ep.verifier as unknown as Verifier<C, TokenRecord>);
      if (typeof result !== 'object' || result === null || !ep.issued.has(result)) {
        throw invalidArgValue('request', 'must return what the verifier handed to it returned');
      }
      return result as unknown as VerifiedRequest<C, T>;
    }
    return ep.verifier.verify(req, extra);
  }

  function requireTransport(verified: VerifiedRequest<any, any>): void {
    if (allowHttp) return;
    const url = new URL(verified.url);
    if (url.protocol !== 'https:' && !isLoopback(url.hostname)) {
      throw fail(400, 'parameter_rejected', 'credentials are issued over https only (RFC 5849 §2.1, §2.3)', {
        advice: 'use https; behind a TLS-terminating proxy set publicUrl or trustProxy',
      });
    }
  }

  function answer<R>(pairs: Array<[string, string]>, record: R): CredentialsResponse<R> {
    return { status: 200, headers: { ...FORM_HEADERS }, body: formatForm(pairs), record };
  }

  async function newToken(clientKey: string, owner: string, attributes: Readonly<Record<string, unknown>> | undefined): Promise<TokenCredentialsRecord> {
    const { key, secret } = generateCredentials();
    const record: TokenCredentialsRecord = { key, secret, clientKey, owner, createdAt: clock() };
    if (attributes !== undefined) record.attributes = attributes;
    await store.saveToken({ ...record });
    return record;
  }

  /** The record behind `key` if it can still be approved; else the OAuthError to answer. */
  async function pending(key: string): Promise<TemporaryCredentialsRecord> {
    const record = await store.getTemporary(key);
    if (record == null) throw fail(401, 'token_rejected', 'the temporary credentials are unknown or expired', { parametersRejected: ['oauth_token'] });
    if (record.used === true) throw fail(401, 'token_used', 'the temporary credentials have been used already', { parametersRejected: ['oauth_token'] });
    if (clock() >= record.expiresAt) throw fail(401, 'token_expired', 'the temporary credentials have expired', { parametersRejected: ['oauth_token'] });
    if (record.verifier !== undefined) throw fail(401, 'token_used', 'the temporary credentials have been authorized already', { parametersRejected: ['oauth_token'] });
    return record;
  }

  // RFC 5849 §2.1: signed with client credentials only (the verifier takes an empty oauth_token as none).
  const temporaryEndpoint = endpoint<TokenRecord>({ ...common, tokenRequired: false });
  // RFC 5849 §2.3: signed with the temporary credentials. Used and expired
  // ones are found too, so that the answer (token_used, token_expired) is
  // given only to a request that proves it holds their secret.
  const tokenEndpoint = endpoint<TemporaryCredentialsRecord>({
    ...common,
    tokenRequired: true,
    lookupToken: (key) => store.getTemporary(key),
  });
  const resource = createVerifier<C, TokenCredentialsRecord>({
    ...common,
    ...(tokenRequired !== undefined ? { tokenRequired } : {}),
    ...(requireBodyHash !== undefined ? { requireBodyHash } : {}),
    lookupToken: (key) => store.getToken(key),
  });
  const verifier: Verifier<C, TokenCredentialsRecord> = {
    ...resource,
    async verify(req, extra) {
      const verified = await resource.verify(req, extra);
      if (verified.token !== undefined && verified.token.clientKey !== verified.consumerKey) {
        throw fail(401, 'token_rejected', 'the token was issued to another client', { parametersRejected: ['oauth_token'] });
      }
      return verified;
    },
  };

  return {
    async requestTemporaryCredentials(req, extra) {
      const verified = await run(temporaryEndpoint, req, extra);
      requireTransport(verified);
      const callback = param(verified, 'oauth_callback');
      if (callback === undefined) {
        throw fail(400, 'parameter_absent', 'oauth_callback is required (an absolute URI, or "oob")', { parametersAbsent: ['oauth_callback'] });
      }
      const problem = callbackProblem(callback, verified.client.callbacks);
      if (problem !== undefined) throw fail(400, 'parameter_rejected', `oauth_callback ${problem}`, { parametersRejected: ['oauth_callback'] });
      if (allowTemporary !== undefined && (await allowTemporary(verified.consumerKey, verified)) !== true) {
        throw fail(429, 'consumer_key_rejected', 'this client may not request more temporary credentials now; try again later');
      }
      const { key, secret } = generateCredentials();
      const createdAt = clock();
      const record: TemporaryCredentialsRecord = {
        key,
        secret,
        clientKey: verified.consumerKey,
        callback,
        createdAt,
        expiresAt: createdAt + Math.round(temporaryTtl * 1000),
      };
      await store.saveTemporary({ ...record });
      return answer(
        [
          ['oauth_token', key],
          ['oauth_token_secret', secret],
          ['oauth_callback_confirmed', 'true'],
        ],
        record,
      );
    },

    async pendingAuthorization(temporaryKey) {
      const record = await pending(checkTemporaryKey(temporaryKey));
      return { clientKey: record.clientKey, callback: record.callback, expiresAt: record.expiresAt };
    },

    async authorize(temporaryKey, approval) {
      const key = checkTemporaryKey(temporaryKey);
      if (typeof approval !== 'object' || approval === null) throw invalidArgType('approval', 'an object with the owner');
      checkGrant(approval.owner, approval.attributes, 'approval');
      await pending(key);
      const verifier = newVerifier();
      const approved = await store.approveTemporary(key, {
        verifier,
        owner: approval.owner,
        ...(approval.attributes !== undefined ? { attributes: approval.attributes } : {}),
      });
      if (approved == null) throw fail(401, 'token_used', 'the temporary credentials have been authorized or used already', { parametersRejected: ['oauth_token'] });
      // RFC 5849 §2.2: append oauth_token and oauth_verifier to the callback's query.
      const redirectTo =
        approved.callback === 'oob' ? undefined : appendQuery(approved.callback, formatForm([['oauth_token', key], ['oauth_verifier', verifier]]));
      return { clientKey: approved.clientKey, callback: approved.callback, expiresAt: approved.expiresAt, verifier, redirectTo };
    },

    async requestTokenCredentials(req, extra) {
      const verified = await run(tokenEndpoint, req, extra);
      requireTransport(verified);
      const temporary = verified.token!;
      const sent = param(verified, 'oauth_verifier');
      const rejected = { parametersRejected: ['oauth_token'] };
      if (sent === undefined) throw fail(400, 'parameter_absent', 'oauth_verifier is required', { parametersAbsent: ['oauth_verifier'] });
      if (temporary.clientKey !== verified.consumerKey) throw fail(401, 'token_rejected', 'the temporary credentials were issued to another client', rejected);
      if (temporary.used === true) throw fail(401, 'token_used', 'the temporary credentials have been used already', rejected);
      if (clock() >= temporary.expiresAt) throw fail(401, 'token_expired', 'the temporary credentials have expired', rejected);
      if (temporary.verifier === undefined) {
        throw fail(401, 'permission_unknown', 'the resource owner has not authorized this request (yet)', rejected);
      }
      // RFC 5849 §2.3: used once. Taken before the verifier is compared, so a wrong one spends them too.
      const taken = await store.takeTemporary(temporary.key);
      if (taken == null) throw fail(401, 'token_used', 'the temporary credentials have been used already', rejected);
      if (typeof taken.verifier !== 'string' || typeof taken.owner !== 'string' || !constantTimeEqual(taken.verifier, sent)) {
        throw fail(401, 'verifier_invalid', 'oauth_verifier does not match; start the authorization again', { parametersRejected: ['oauth_verifier'] });
      }
      const record = await newToken(taken.clientKey, taken.owner, taken.attributes);
      return answer(
        [
          ['oauth_token', record.key],
          ['oauth_token_secret', record.secret],
        ],
        record,
      );
    },

    async issueTokenCredentials(grant) {
      if (typeof grant !== 'object' || grant === null) throw invalidArgType('grant', 'an object with clientKey and owner');
      if (typeof grant.clientKey !== 'string') throw invalidArgType('grant.clientKey', 'a string');
      if (grant.clientKey.length === 0) throw invalidArgValue('grant.clientKey', 'must not be empty');
      checkGrant(grant.owner, grant.attributes, 'grant');
      return newToken(grant.clientKey, grant.owner, grant.attributes);
    },

    async revokeToken(key) {
      if (typeof key !== 'string') throw invalidArgType('key', 'a string');
      return (await store.revokeToken(key)) === true;
    },

    verifier,
  };
}

/**
 * Options of {@link createMemoryProviderStore}.
 *
 * @example
 * ```ts
 * const options: MemoryProviderStoreOptions = { maxTemporary: 1_000, maxTokens: 10_000 };
 * ```
 * @see RFC 5849 §4.10
 * @group Provider
 */
export interface MemoryProviderStoreOptions {
  /** Most temporary records held (used ones kept until they expire count too). Default 10 000. */
  maxTemporary?: number;
  /** Most token records held (revoked ones count too). Default 100 000. */
  maxTokens?: number;
  /** Milliseconds since the epoch, for dropping expired temporary records. Default `Date.now`. */
  clock?: () => number;
}

/**
 * The in-memory {@link ProviderStore}: synchronous, bounded, one process.
 *
 * @example
 * ```ts
 * const store: MemoryProviderStore = createMemoryProviderStore();
 * store.countTemporary('ck'); // 0
 * ```
 * @see RFC 5849 §2
 * @group Provider
 */
export interface MemoryProviderStore extends ProviderStore {
  saveTemporary(record: TemporaryCredentialsRecord): void;
  getTemporary(key: string): TemporaryCredentialsRecord | undefined;
  approveTemporary(key: string, approval: TemporaryApproval): TemporaryCredentialsRecord | undefined;
  takeTemporary(key: string): TemporaryCredentialsRecord | undefined;
  saveToken(record: TokenCredentialsRecord): void;
  getToken(key: string): TokenCredentialsRecord | undefined;
  revokeToken(key: string): boolean;
  /** How many unused, unexpired temporary credentials a client holds: for `allowTemporary`. */
  countTemporary(clientKey: string): number;
  /** How many records are held now (expired temporary ones are dropped first). */
  readonly size: { temporary: number; tokens: number };
}

interface HeldTemporary {
  record: TemporaryCredentialsRecord;
  /** When the store drops it, on its own clock. */
  dropAt: number;
}

function checkMax(value: unknown, path: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw invalidArgType(path, 'a number');
  if (!Number.isSafeInteger(value) || value < 1) throw invalidArgValue(path, `must be a positive integer, received ${value}`);
  return value;
}

/**
 * Creates the in-memory {@link ProviderStore}, for tests, demos and small
 * single-process servers.
 *
 * - Records are copied in and out: changing a returned record changes
 *   nothing stored.
 * - `takeTemporary` marks the record used and keeps it until it expires, so
 *   a second exchange is answered `token_used`; being synchronous, it is
 *   atomic within the process.
 * - Temporary records are dropped `expiresAt - createdAt` after they were
 *   saved, measured on the store's clock (so a test's fake provider clock
 *   does not make them vanish).
 * - Bounded: past `maxTemporary` or `maxTokens` records, saving throws 503
 *   `temporarily_unavailable` rather than forgetting live credentials.
 *   Pair it with `allowTemporary` and {@link MemoryProviderStore.countTemporary}
 *   so that one client cannot fill it.
 *
 * @example
 * ```ts
 * const store = createMemoryProviderStore();
 * const provider = createProvider({
 *   lookupClient: (key) => clients.get(key),
 *   store,
 *   allowTemporary: (clientKey) => store.countTemporary(clientKey) < 20,
 * });
 * ```
 * @throws TypeError naming the option for a programmer's mistake.
 * @see RFC 5849 §2, §4.10
 * @group Provider
 */
export function createMemoryProviderStore(options: MemoryProviderStoreOptions = {}): MemoryProviderStore {
  if (typeof options !== 'object' || options === null) throw invalidArgType('options', 'an object');
  const maxTemporary = checkMax(options.maxTemporary, 'options.maxTemporary', 10_000);
  const maxTokens = checkMax(options.maxTokens, 'options.maxTokens', 100_000);
  const clock = options.clock ?? Date.now;
  if (typeof clock !== 'function') throw invalidArgType('options.clock', 'a function that returns milliseconds since the epoch');

  const temporary = new Map<string, HeldTemporary>();
  const tokens = new Map<string, TokenCredentialsRecord>();
  /** Unused temporary records per client. */
  const unused = new Map<string, number>();

  const adjust = (clientKey: string, by: number): void => {
    const n = (unused.get(clientKey) ?? 0) + by;
    if (n > 0) unused.set(clientKey, n);
    else unused.delete(clientKey);
  };
  const drop = (key: string, held: HeldTemporary): void => {
    temporary.delete(key);
    if (held.record.used !== true) adjust(held.record.clientKey, -1);
  };
  /** Drops expired records from the oldest end; `all` scans every record. */
  const sweep = (all: boolean): void => {
    const now = clock();
    for (const [key, held] of temporary) {
      if (held.dropAt <= now) drop(key, held);
      else if (!all) break;
    }
  };
  const live = (key: string): HeldTemporary | undefined => {
    const held = temporary.get(key);
    if (held === undefined) return undefined;
    if (held.dropAt <= clock()) {
      drop(key, held);
      return undefined;
    }
    return held;
  };
  const full = (what: string): OAuthError =>
    new OAuthError(503, 'temporarily_unavailable', `the server cannot hold more ${what} now; try again later`);

  return {
    saveTemporary(record) {
      if (typeof record?.key !== 'string' || typeof record.clientKey !== 'string') throw invalidArgType('record', 'a temporary credentials record');
      sweep(false);
      if (temporary.size >= maxTemporary) sweep(true);
      if (temporary.size >= maxTemporary && !temporary.has(record.key)) throw full('temporary credentials');
      const old = temporary.get(record.key);
      if (old !== undefined) drop(record.key, old);
      const lifetime = Math.max(0, record.expiresAt - record.createdAt);
      temporary.set(record.key, { record: { ...record }, dropAt: clock() + lifetime });
      if (record.used !== true) adjust(record.clientKey, 1);
    },
    getTemporary(key) {
      const held = live(key);
      return held && { ...held.record };
    },
    approveTemporary(key, approval) {
      const held = live(key);
      if (held === undefined || held.record.used === true || held.record.verifier !== undefined) return undefined;
      held.record.verifier = approval.verifier;
      held.record.owner = approval.owner;
      if (approval.attributes !== undefined) held.record.attributes = approval.attributes;
      return { ...held.record };
    },
    takeTemporary(key) {
      const held = live(key);
      if (held === undefined || held.record.used === true) return undefined;
      const taken = { ...held.record };
      held.record.used = true;
      adjust(held.record.clientKey, -1);
      return taken;
    },
    saveToken(record) {
      if (typeof record?.key !== 'string' || typeof record.secret !== 'string') throw invalidArgType('record', 'a token credentials record');
      if (tokens.size >= maxTokens && !tokens.has(record.key)) throw full('token credentials');
      tokens.set(record.key, { ...record });
    },
    getToken(key) {
      const record = tokens.get(key);
      return record && { ...record };
    },
    revokeToken(key) {
      const record = tokens.get(key);
      if (record === undefined) return false;
      record.revoked = true;
      return true;
    },
    countTemporary(clientKey) {
      sweep(false);
      return unused.get(clientKey) ?? 0;
    },
    get size() {
      sweep(true);
      return { temporary: temporary.size, tokens: tokens.size };
    },
  };
}
