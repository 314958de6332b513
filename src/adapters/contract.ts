/**
 * The contract every framework adapter follows, and what they share.
 *
 * An adapter only translates: the framework's request into an
 * {@link HttpRequestLike} (method, the URL the server received, headers, and
 * the body when the signature covers it), and the outcome back. No
 * verification happens in an adapter: the verifier does all of it.
 *
 * - **Names.** A function that verifies one request is
 *   `verify<Framework>Request(verifier, request, options)` and resolves with
 *   the verifier's result (`verifyNodeRequest`, `verifyFetchRequest`); a
 *   middleware factory is `<framework>Middleware(verifier, options)`
 *   (`expressMiddleware`, `koaMiddleware`), or the framework's own word for
 *   it (`fastifyPreHandler`, and the `fastifyOAuth1` plugin). Helpers that
 *   answer a failure are `send…`/`…Response` (`sendOAuthError`,
 *   `oauthErrorResponse`).
 * - **Result.** Generic over the verifier's result: an LTI launch verifier
 *   gives an `LtiLaunch` through every adapter. Middleware puts it where the
 *   framework keeps per-request state (`req.oauth`, `request.oauth`,
 *   `ctx.state.oauth`).
 * - **Failures.** An {@link OAuthError} is the request's fault: a middleware
 *   answers it (status, `WWW-Authenticate`, problem report) or, when
 *   `onError` is given, hands it to `onError` to render; a function rejects
 *   with it. Any other error is the server's: handed to the framework's error
 *   path (`next(err)`, or thrown) or rejected.
 * - **Context.** The lookup callbacks get `ctx.extra` as
 *   `{ remoteAddress, adapter, context }`: the peer's address, the adapter's
 *   name, and the framework's own request object (Express `req`, Fastify
 *   `request`, Koa `ctx`, the node `IncomingMessage`, the Fetch `Request`),
 *   plus `options.extra`.
 * - **Bodies.** Checked over the bytes the client sent, never over a body
 *   rebuilt from a parser's object: a raw copy a parser kept, or the stream,
 *   read and put back for the parsers mounted later (node-io.ts). When a
 *   parser consumed the body and kept no raw copy, the adapter throws one
 *   `TypeError` (code `ERR_INVALID_STATE`) naming that parser and its
 *   raw-body hook.
 * @module
 * @internal
 */
import { parseForm } from '../core/encoding.js';
import { invalidArgType, malformed, withRealm, type OAuthError } from '../core/errors.js';
import { parseAuthorizationHeader } from '../core/header.js';
import { getHeader, isFormContentType, type HeadersLike, type HttpRequestLike } from '../core/request.js';
import { boolean, optionalObject, positiveInteger } from '../core/validate.js';
import { isReadableHost } from '../server/public-url.js';
import { receivedTarget, withOrigin, type RequestTarget } from '../core/target.js';
import type { VerifiedRequest, VerifyExtra } from '../server/verifier/types.js';

export { OAuthError } from '../core/errors.js';
export type { VerifiedRequest } from '../server/verifier/types.js';

/**
 * The part of a verifier (what `createVerifier` returns) that an adapter uses.
 * `bodyLimit`, when a verifier exposes it, is the largest body it accepts.
 *
 * @example Any verifier made by createVerifier fits
 * ```ts
 * const verifier: AdapterVerifier = createVerifier({ lookupClient, lookupToken });
 * ```
 * @group Adapters
 */
export interface AdapterVerifier<R = VerifiedRequest> {
  verify(req: HttpRequestLike, extra?: VerifyExtra): Promise<R>;
  readonly realm: string | undefined;
  readonly requireBodyHash: boolean;
  readonly bodyLimit?: number | undefined;
}

/**
 * The app's own result type, registered once for every middleware adapter.
 * A middleware cannot tell the handlers after it what its verifier gives, so
 * `req.oauth` (Express), `request.oauth` (Fastify) and `ctx.state.oauth`
 * (Koa) are typed as {@link OAuthResult}: a {@link VerifiedRequest} unless
 * the app registers another `result` here, by declaration merging. (Hono's
 * middleware types `c.get('oauth')` from its verifier, with no registration.)
 *
 * @example Every protected route verifies LTI launches
 * ```ts
 * import type { LtiLaunch } from 'oauth1';
 * declare module 'oauth1/express' {
 *   interface OAuthRegister { result: LtiLaunch }
 * }
 * ```
 * @group Adapters
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an empty interface is what declaration merging extends
export interface OAuthRegister {}

/**
 * What the middleware adapters store on the request: `result` of
 * {@link OAuthRegister} when the app registered one, else
 * {@link VerifiedRequest}.
 *
 * @example
 * ```ts
 * function clientOf(oauth: OAuthResult): string { return oauth.clientKey; }
 * ```
 * @group Adapters
 */
export type OAuthResult = OAuthRegister extends { result: infer R } ? R : VerifiedRequest;

/**
 * Options every adapter takes.
 *
 * @example A smaller body limit and the tenant for the lookups
 * ```ts
 * expressMiddleware(verifier, { bodyLimit: 64 * 1024, extra: { tenant: 'eu' } });
 * ```
 * @group Adapters
 */
export interface AdapterOptions {
  /**
   * Largest body the adapter reads, in bytes; past it the request is answered
   * 400 `parameter_rejected` without reading further. Default: the verifier's
   * `bodyLimit` when it has one, else 1 MiB (the verifier's default limit).
   */
  bodyLimit?: number | undefined;
  /** More context for the lookup callbacks (merged over what the adapter passes). */
  extra?: VerifyExtra | undefined;
  /**
   * Express, Koa and Fastify: take the scheme and host from the framework's
   * own answer under its trust-proxy setting (Express `req.protocol` and
   * `req.host` with `app.set('trust proxy', …)`, Koa `ctx.protocol` and
   * `ctx.host` with `app.proxy`, Fastify `request.protocol` and
   * `request.host` with `trustProxy`), instead of the socket and the Host
   * header. Leave the verifier's own `trustProxy` unset then. Default false.
   */
  trustFrameworkProxy?: boolean | undefined;
}

/** The adapters, by name. @group Adapters */
export type AdapterName = 'node' | 'express' | 'fastify' | 'koa' | 'fetch' | 'hono' | 'passport' | (string & {});

/**
 * What an adapter hands the lookup callbacks as `ctx.extra`.
 *
 * @example
 * ```ts
 * lookupClient: (key, ctx) => db.clients.find(key, { ip: ctx.extra.remoteAddress })
 * ```
 * @group Adapters
 */
export interface AdapterExtra extends VerifyExtra {
  remoteAddress: string | undefined;
  adapter: AdapterName;
  /** The framework's own request object (Express `req`, Fastify `request`, Koa `ctx`, `IncomingMessage`, Fetch `Request`). */
  context: unknown;
}

/**
 * A Node `IncomingMessage`, structurally (node:http, Express, Fastify's `raw`, Koa's `req`).
 *
 * @example
 * ```ts
 * createServer((req: NodeRequestLike, res) => { ... });
 * ```
 * @group Adapters
 */
export interface NodeRequestLike {
  method?: string | undefined;
  url?: string | undefined;
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Every header line as sent, names and values alternating (Node's `rawHeaders`). */
  rawHeaders?: readonly string[];
  socket?: { encrypted?: boolean; remoteAddress?: string | undefined; localAddress?: string | undefined; localPort?: number | undefined } | null;
  readableEnded?: boolean;
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeListener(event: string, listener: (...args: any[]) => void): unknown;
  resume(): unknown;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** An adapter's arguments, checked. */
export interface AdapterSettings {
  /** Largest body read, in bytes. */
  limit: number;
  /** Whether the framework's own scheme and host are used. */
  trustFrameworkProxy: boolean;
  /** What `options.extra` adds to the context of the lookups. */
  extra: VerifyExtra | undefined;
}

/** Checks an adapter's arguments (once, when a middleware is made). */
export function adapterSettings(verifier: unknown, opts: unknown): AdapterSettings {
  if (typeof (verifier as AdapterVerifier<unknown> | null)?.verify !== 'function') {
    throw invalidArgType('verifier', 'a verifier made by createVerifier()');
  }
  const options = optionalObject<AdapterOptions>(opts, 'options') ?? {};
  const limit = positiveInteger(options.bodyLimit ?? (verifier as AdapterVerifier<unknown>).bodyLimit, 'options.bodyLimit', DEFAULT_BODY_LIMIT, 'bytes');
  return {
    limit,
    trustFrameworkProxy: boolean(options.trustFrameworkProxy, 'options.trustFrameworkProxy', false),
    extra: optionalObject<VerifyExtra>(options.extra, 'options.extra'),
  };
}

/** The context of the lookups: the adapter's facts, then the application's `options.extra`. */
export function adapterExtra(adapter: AdapterName, context: unknown, remoteAddress: string | undefined, settings: AdapterSettings): AdapterExtra {
  return { remoteAddress, adapter, context, ...settings.extra };
}

/**
 * The scheme and host a framework reports under its own trust-proxy setting
 * (Express `req.protocol`/`req.host`, Koa `ctx.protocol`/`ctx.host`, Fastify
 * `request.protocol`/`request.host`).
 */
export interface FrameworkOrigin {
  protocol: 'http' | 'https';
  host: string;
}

/** The framework's answer, when it is a usable one. */
export function frameworkOrigin(protocol: unknown, host: unknown): FrameworkOrigin | undefined {
  if ((protocol !== 'http' && protocol !== 'https') || typeof host !== 'string' || host === '') return undefined;
  return { protocol, host };
}

/**
 * Express and Koa answer with the *first* element of a list in
 * X-Forwarded-Proto or X-Forwarded-Host — the one a client wrote when its
 * proxy appends — whatever the hop count. An answer that came from such a
 * list (it differs from the socket's scheme or the Host header) is refused
 * with 400, as the verifier's own `trustProxy` would not believe it.
 */
export function firstOfListOrigin(origin: FrameworkOrigin | undefined, req: NodeRequestLike, realm: string | undefined): FrameworkOrigin | undefined {
  if (origin === undefined) return undefined;
  const listed = (name: string): boolean => getHeader(req.headers, name)?.includes(',') === true;
  const scheme = req.socket?.encrypted === true ? 'https' : 'http';
  if ((origin.protocol !== scheme && listed('x-forwarded-proto')) || (origin.host !== getHeader(req.headers, 'host') && listed('x-forwarded-host'))) {
    throw withRealm(malformed('X-Forwarded-Proto or X-Forwarded-Host lists several values and the framework reads the first, which a client may have written: send one, or use the verifier\'s trustProxy'), realm);
  }
  return origin;
}

/**
 * A Node request's headers as the verifier must read them: when a client
 * sent Content-Type more than once (Node keeps only the first), every value,
 * joined, so that the verifier refuses the ambiguity instead of reading one
 * of them.
 */
export function nodeHeaders(req: NodeRequestLike): NodeRequestLike['headers'] {
  const raw = req.rawHeaders;
  if (raw === undefined) return req.headers;
  const types: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if ((raw[i] ?? '').toLowerCase() === 'content-type') types.push(raw[i + 1] ?? '');
  return types.length > 1 ? { ...req.headers, 'content-type': types.join(', ') } : req.headers;
}

/**
 * Whether the verifier will look at the body: a form is signed; a body hash
 * (announced in the header or the query, even percent-encoded) or a verifier
 * that requires one needs the raw bytes. Any other body is left unread, for
 * the application.
 */
export function needsBody(verifier: AdapterVerifier<unknown>, headers: HeadersLike | undefined, url: string): boolean {
  if (verifier.requireBodyHash || isFormContentType(getHeader(headers, 'content-type'))) return true;
  // Decide from the parameters as the verifier will read them (names decoded),
  // not from the raw text: "%6Fauth_body_hash" is oauth_body_hash too.
  try {
    const authorization = getHeader(headers, 'authorization');
    const header = authorization === undefined ? null : parseAuthorizationHeader(authorization);
    if (header?.params.some(([name]) => name === 'oauth_body_hash')) return true;
    const q = url.indexOf('?');
    const hash = url.indexOf('#');
    const query = q === -1 ? '' : url.slice(q + 1, hash > q ? hash : undefined);
    return parseForm(query).some(([name]) => name === 'oauth_body_hash');
  } catch {
    // Malformed: the verifier refuses the request; reading the body changes nothing.
    return true;
  }
}

/** 400: the body is longer than the adapter reads. @internal */
export function tooLarge(limit: number, realm: string | undefined): OAuthError {
  return withRealm(malformed(`the body is larger than ${limit} bytes`), realm) as OAuthError;
}

/** The one error for a body that was consumed before the OAuth check with no raw copy kept: a mistake in how things are mounted. */
export function bodyConsumedError(hint: string): TypeError {
  const err = new TypeError(`the request body was read before the OAuth check and no raw copy was kept; ${hint}`) as TypeError & { code: string };
  err.code = 'ERR_INVALID_STATE';
  return err;
}

/** The Content-Length a request declares, when it is a plain number. @internal */
export function declaredLength(headers: HeadersLike | undefined): number | undefined {
  const value = getHeader(headers, 'content-length');
  return value !== undefined && /^[0-9]+$/.test(value.trim()) ? Number(value) : undefined;
}

/** Reads a Fetch `Request` body through a clone (the original stays readable), refusing (400) one longer than `limit`. */
export async function readFetchBody(request: Request, limit: number, realm: string | undefined): Promise<Uint8Array> {
  const declared = declaredLength(request.headers);
  if (declared !== undefined && declared > limit) throw tooLarge(limit, realm);
  const stream = request.clone().body;
  if (stream === null) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Not awaited: a tee branch's cancel settles only once the other branch (the request itself) is cancelled too.
      reader.cancel().catch(() => undefined);
      throw tooLarge(limit, realm);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** A target, or undefined when it does not parse. */
function targetOf(url: string): RequestTarget | undefined {
  try {
    return receivedTarget(url);
  } catch {
    return undefined;
  }
}

/**
 * The URL of an absolute-form target, with the connection's scheme. A Host
 * header sent with it must name the same host and port (RFC 9112 §3.2.2: a
 * client sends them identical): Express and Koa read the Host header, and
 * the base string takes the target's host.
 */
function absoluteFormUrl(req: NodeRequestLike, path: string, scheme: 'http' | 'https', realm: string | undefined): string {
  const received = targetOf(path);
  if (received === undefined) throw withRealm(malformed('the request target is not a valid URL'), realm);
  const host = getHeader(req.headers, 'host');
  if (host !== undefined && !sameAuthority(received.protocol, `${received.hostname}:${received.port}`, host)) {
    throw withRealm(malformed('the Host header names another host than the absolute-form request target'), realm);
  }
  return withOrigin(received, { protocol: `${scheme}:` }).href;
}

/** Whether two authorities name the same host and port (case and a spelled-out default port aside). */
function sameAuthority(protocol: string, a: string, b: string): boolean {
  const x = targetOf(`${protocol}//${a}/`);
  const y = targetOf(`${protocol}//${b}/`);
  return x !== undefined && y !== undefined && x.hostname === y.hostname && x.port === y.port;
}

/**
 * The absolute URL a Node server received: `https` when the socket is TLS,
 * the Host header (`:authority` over HTTP/2, which must then agree with any
 * Host header; the local address when neither is sent), and the request target (`originalUrl` for mounted routers).
 * A proxy's view (`Forwarded`, `X-Forwarded-*`) or a fixed public URL is the
 * verifier's business (`publicUrl`, `trustProxy`), not the adapter's.
 */
export function nodeRequestUrl(req: NodeRequestLike, target: string | undefined, realm: string | undefined, framework?: FrameworkOrigin): string {
  const path = target ?? req.url ?? '/';
  const scheme = framework?.protocol ?? (req.socket?.encrypted === true ? 'https' : 'http');
  // An absolute-form target (RFC 9112 §3.2.2) names host and path; the scheme
  // is the connection's, never the client's word (an https-only check must not
  // be talked past over plain TCP). The path stays as written: it is what the
  // router sees.
  if (/^https?:\/\//i.test(path)) return absoluteFormUrl(req, path, scheme, realm);
  if (!path.startsWith('/')) throw withRealm(malformed('the request target must be a path'), realm);
  if (framework !== undefined) {
    if (!isReadableHost(framework.host)) throw withRealm(malformed('the host the framework reports is malformed'), realm);
    return `${scheme}://${framework.host}${path}`;
  }
  const authority = getHeader(req.headers, ':authority');
  let host = getHeader(req.headers, 'host') ?? authority;
  // HTTP/2 lets both travel; frameworks differ on which they read (Koa takes :authority). RFC 9113 §8.3.1: malformed when they differ.
  if (authority !== undefined && host !== authority && !sameAuthority(`${scheme}:`, host ?? '', authority)) {
    throw withRealm(malformed('the Host header differs from :authority'), realm);
  }
  if (host === undefined && req.socket?.localAddress !== undefined) {
    const address = req.socket.localAddress;
    host = `${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort ?? ''}`;
  }
  if (host === undefined || !isReadableHost(host)) throw withRealm(malformed('the Host header is missing or malformed'), realm);
  return `${scheme}://${host}${path}`;
}

/** Form pairs as a flat object (null prototype), the shape flat form parsers give. */
export function fieldsObject(pairs: ReadonlyArray<readonly [string, string]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of pairs) {
    const had = out[name];
    out[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return out;
}
