/**
 * The provider's public types: its options, requests and answers.
 * @module
 */
import type { Awaitable } from '../../core/awaitable.js';
import type { HttpRequestLike } from '../../core/request.js';
import type { ProviderStore, TemporaryCredentialsRecord, TokenCredentialsRecord } from '../provider-store.js';
import type { ClientRecord, TokenRecord, VerifiedRequest, Verifier, VerifierOptions, VerifyExtra } from '../verifier/types.js';

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
   * §2.1, §2.3) — https as the transport says (the socket, a configured
   * `publicUrl`, a trusted proxy), never the request target — except a
   * request from this machine to itself: the peer's address (as the adapter
   * reports it) and the host addressed both loopback (`localhost`,
   * `127.0.0.0/8`, `[::1]`). True allows plain http everywhere. Default false.
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

