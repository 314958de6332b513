/**
 * The verifier's public types: what the server knows of clients and tokens,
 * the options, and what a verification hands back.
 * @module
 */
import type { Awaitable } from '../../core/awaitable.js';
import type { HttpRequestLike, Params } from '../../core/request.js';
import type { KeyLike, SignatureMethod, SignatureMethodTable } from '../../methods/types.js';
import type { NonceStore } from '../nonce-store.js';
import type { TrustProxy } from '../public-url.js';

/** What a server knows of a client ("consumer" in OAuth Core 1.0 and LTI). @group Verifier */
export interface ClientRecord {
  /** Shared secret, for HMAC and PLAINTEXT. */
  secret?: string;
  /** Public key, for RSA: PEM (SPKI, PKCS#1, X.509 certificate), a `CryptoKey`, or (Node build) a `KeyObject`. */
  publicKey?: KeyLike;
  /** The methods this client may use (intersected with the verifier's list). */
  signatureMethods?: SignatureMethod[];
}

/** What a server knows of a token. @group Verifier */
export interface TokenRecord {
  secret: string;
  /** A revoked token is answered with 401 `token_revoked` instead of `token_rejected`. */
  revoked?: boolean;
  /**
   * The client the token was issued to. When set, a request that presents the
   * token with another `oauth_consumer_key` is refused (`token_rejected`):
   * a token is never usable by a client it was not issued to.
   */
  clientKey?: string;
}

/** What the lookup callbacks are told about the request. @group Verifier */
export interface LookupContext {
  /** The request as read (a snapshot: changing it changes nothing). */
  request: { method: string; url: string; headers: HttpRequestLike['headers'] };
  signatureMethod: string;
  realm: string | undefined;
  /** Whatever the adapter or caller passed as extra context (remote address, the framework's request…). */
  extra: VerifyExtra;
  /**
   * For `lookupToken`: whether `lookupClient` found the client. The token is
   * looked up either way, so that the number of lookups does not tell which
   * keys exist; when the client was not found, `lookupToken` receives an
   * empty placeholder record.
   */
  clientFound?: boolean;
}

/** Extra context handed to the callbacks, for example to weigh the client's IP (RFC 5849 §4.6). @group Verifier */
export interface VerifyExtra {
  remoteAddress?: string | undefined;
  [key: string]: unknown;
}

/** What the debug hook receives: for the server's own logs, never for the response. @group Verifier */
export interface VerifyDebugInfo {
  ok: boolean;
  /**
   * The check that failed, if any: `syntax`, `timestamp`, `lookup`,
   * `signature`, `body_hash`, `nonce`, or `profile` (a preset's own checks,
   * such as an LTI launch's required parameters).
   */
  check?: VerifyCheck;
  problem?: string;
  message?: string;
  method: string;
  /** The public URL the base string was built from. */
  url: string;
  /** The server's base string, to compare with the client's. Never sent to the client. */
  baseString?: string;
  consumerKey?: string;
  token?: string;
  /**
   * The exact cause of an answer that is kept generic for the client (until
   * a signature verifies, unknown keys, revoked tokens and refused methods
   * are all answered `signature_invalid`): `consumer_key_unknown`,
   * `token_rejected`, `token_revoked`, `signature_method_rejected`, …
   */
  cause?: string;
  /** A record from a lookup that the verifier could not use safely (an empty secret, a malformed key…): fix the data or the callback. */
  configurationError?: string;
}

/** Size limits, checked before any work. @group Verifier */
export interface VerifierLimits {
  /** Longest Authorization header accepted, in characters. Default 8192. */
  headerLength?: number;
  /** Most parameters (query, form body and header together). Default 512. */
  parameters?: number;
  /** Largest form body, in bytes. Default 1 MiB. */
  bodyBytes?: number;
  /** Longest `oauth_nonce` accepted, in characters. Default 255. */
  nonceLength?: number;
}

/** The checks of a verification, in the order they run. @group Verifier */
export type VerifyCheck = 'syntax' | 'timestamp' | 'lookup' | 'signature' | 'body_hash' | 'nonce' | 'profile';

/**
 * Options of {@link createVerifier}.
 *
 * @example Every option, with its default or when to use it
 * ```ts
 * const options: VerifierOptions = {
 *   lookupClient: async (key) => db.clients.find(key),  // { secret } or { publicKey }; null/undefined when unknown
 *   lookupToken: async (key) => db.tokens.find(key),    // { secret, clientKey, revoked? }; null/undefined when unknown
 *   nonceStore: createMemoryNonceStore(),               // default; createRedisNonceStore(client) across processes
 *   signatureMethods: ['HMAC-SHA256', 'RSA-SHA256'],    // default: every HMAC and RSA method; PLAINTEXT only if listed
 *   timestampWindow: { past: 300, future: 300 },        // seconds, the default
 *   tokenRequired: true,                                // default; false accepts client-credentials-only requests
 *   realm: 'Example API',                               // sent in WWW-Authenticate
 *   publicUrl: 'https://api.example.com',               // or trustProxy: { headers: 'x-forwarded', hops: 1 } behind a proxy
 *   requireBodyHash: false,                             // true: non-form bodies must carry oauth_body_hash
 *   limits: { bodyBytes: 64 * 1024 },                   // headerLength, parameters, bodyBytes, nonceLength
 *   onDebug: (info) => { if (!info.ok) log.warn({ check: info.check, cause: info.cause, baseString: info.baseString }); },
 *   // development only: detailedErrors: true (exact problem codes), allowEmptySecret, allowAmbiguousPaths, allowPlaintextOverHttp
 * };
 * const verifier = createVerifier(options);
 * ```
 * @see RFC 5849 §3.2
 * @group Verifier
 */
export interface VerifierOptions<C extends ClientRecord = ClientRecord, T extends TokenRecord = TokenRecord> {
  lookupClient(key: string, ctx: LookupContext): Awaitable<C | null | undefined>;
  lookupToken?(token: string, client: C, ctx: LookupContext): Awaitable<T | null | undefined>;
  /** Default: a bounded in-memory store, one per verifier. Use `oauth1/redis` across processes. */
  nonceStore?: NonceStore;
  /** Allowlist. Default: every HMAC and RSA method; PLAINTEXT only when listed. */
  signatureMethods?: SignatureMethod[];
  /** Default false: PLAINTEXT is refused unless the public URL is https. */
  allowPlaintextOverHttp?: boolean;
  /** Seconds a timestamp may lie in the past and in the future. Default 300 each. */
  timestampWindow?: { past?: number; future?: number };
  /** Milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number;
  /** Default true: a request must carry `oauth_token`. False accepts client-credentials-only requests too. */
  tokenRequired?: boolean;
  /** The realm sent in `WWW-Authenticate`. */
  realm?: string;
  /** The URL clients address (see {@link oauth1!resolvePublicUrl}). */
  publicUrl?: string | ((req: HttpRequestLike) => string);
  /**
   * Read the scheme, host and port from proxy headers: only the family the
   * deployment's proxies set, only the element the outermost trusted proxy
   * wrote (see {@link TrustProxy}). Only behind proxies you control. Default false.
   */
  trustProxy?: TrustProxy;
  /**
   * Default false: a request path with dot segments (`/a/../b`, `%2e%2e`) or
   * backslashes is refused (400), because a router may send it somewhere
   * else than a URL parser reads. True verifies such paths exactly as
   * received.
   */
  allowAmbiguousPaths?: boolean;
  /**
   * Default false: a client record whose shared secret is empty is unusable
   * (a request from it is refused, and `onDebug` reports a configuration
   * problem), because anyone who knows the client key could sign.
   */
  allowEmptySecret?: boolean;
  /**
   * Default false: until a request's signature verifies with the real
   * secrets, every authentication failure is answered the same way (401
   * `signature_invalid`), so the answer does not tell which client keys or
   * tokens exist; the exact cause goes to `onDebug`. True answers the exact
   * problem (`consumer_key_unknown`, `token_rejected`, …): for development.
   */
  detailedErrors?: boolean;
  /** Default false: when true, every request without a form body must carry `oauth_body_hash` (a request without a body hashes the empty string). */
  requireBodyHash?: boolean;
  limits?: VerifierLimits;
  /** Signature methods of your own, by name (list them in `signatureMethods` too, to accept them). */
  customMethods?: SignatureMethodTable;
  /** Server-side only: called once per request with the outcome and the server's base string. */
  onDebug?(info: VerifyDebugInfo): void;
}

/**
 * A request that passed every check.
 *
 * @example What verify() resolves with for a form POST signed with token credentials
 * ```ts
 * const verified: VerifiedRequest = await verifier.verify(request);
 * // verified.clientKey        'ck'                              (also as verified.consumerKey)
 * // verified.tokenKey         'tk'
 * // verified.client           { secret: 'cs' }                  (what lookupClient returned)
 * // verified.token            { secret: 'ts', clientKey: 'ck' } (what lookupToken returned)
 * // verified.signatureMethod  'HMAC-SHA1'
 * // verified.realm            undefined
 * // verified.url              'https://api.example.com/1.1/statuses/update.json?include_entities=true'
 * // verified.params           [['include_entities', 'true'], ['status', 'Hello Ladies + Gentlemen'], ['oauth_consumer_key', 'ck'], …]
 * // verified.oauthParams      [['oauth_consumer_key', 'ck'], ['oauth_token', 'tk'], …, ['oauth_signature', 'c5X1/2Jke0JqRnGvlt+HHh01K1M=']]
 * // verified.timestamp        1318622958
 * // verified.nonce            'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg'
 * // verified.remoteAddress    '127.0.0.1' (from an adapter; undefined when verify() is called directly)
 * ```
 * @group Verifier
 */
export interface VerifiedRequest<C extends ClientRecord = ClientRecord, T extends TokenRecord = TokenRecord> {
  client: C;
  /** Undefined for a request signed with client credentials only. */
  token: T | undefined;
  /** `oauth_consumer_key`: the client's identifier (RFC 5849 §1.1 calls the party a "client"). */
  clientKey: string;
  /** The same as {@link VerifiedRequest.clientKey}, under the name OAuth Core 1.0 and LTI use ("consumer"). */
  consumerKey: string;
  tokenKey: string | undefined;
  signatureMethod: SignatureMethod;
  realm: string | undefined;
  /** Every signed parameter, decoded (query, form body, protocol parameters), without `oauth_signature`. */
  params: Params;
  /** The protocol parameters (`oauth_*`) as sent, `oauth_signature` included. */
  oauthParams: Params;
  /** The public URL the signature was checked against (path and query as received). */
  url: string;
  timestamp: number | undefined;
  nonce: string | undefined;
  /** The peer's address, as the adapter reported it (`extra.remoteAddress`). */
  remoteAddress?: string | undefined;
}

/** What {@link createVerifier} returns. @group Verifier */
export interface Verifier<C extends ClientRecord = ClientRecord, T extends TokenRecord = TokenRecord, R = VerifiedRequest<C, T>> {
  verify(req: HttpRequestLike, extra?: VerifyExtra): Promise<R>;
  /** The realm, for adapters that answer errors. */
  readonly realm: string | undefined;
  /** Whether a request with a non-form body needs its raw bytes (body hash required). */
  readonly requireBodyHash: boolean;
  /** Largest body accepted, in bytes (`limits.bodyBytes`): adapters stop reading past it. */
  readonly bodyLimit: number;
}
