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
 * - **Body read already.** When the framework consumed the body and kept no
 *   raw copy, the adapter throws one `TypeError` (code
 *   `ERR_INVALID_STATE`) that says how to mount things instead.
 * @module
 * @internal
 */
import { parseForm } from '../core/encoding.js';
import { invalidArgType, invalidArgValue, malformed, withRealm, type OAuthError } from '../core/errors.js';
import { parseAuthorizationHeader } from '../core/header.js';
import { getHeader, isFormContentType, type BodyLike, type HeadersLike, type HttpRequestLike } from '../core/request.js';
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
export type AdapterName = 'node' | 'express' | 'fastify' | 'koa' | 'fetch' | (string & {});

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

function tooLarge(limit: number, realm: string | undefined): OAuthError {
  return withRealm(malformed(`the body is larger than ${limit} bytes`), realm) as OAuthError;
}

/** The one error for a body that was consumed before the OAuth check with no raw copy kept: a mistake in how things are mounted. */
export function bodyConsumedError(hint: string): TypeError {
  const err = new TypeError(`the request body was read before the OAuth check and no raw copy was kept; ${hint}`) as TypeError & { code: string };
  err.code = 'ERR_INVALID_STATE';
  return err;
}

function declaredLength(headers: HeadersLike | undefined): number | undefined {
  const value = getHeader(headers, 'content-length');
  return value !== undefined && /^[0-9]+$/.test(value.trim()) ? Number(value) : undefined;
}

/**
 * Reads a Node request body into one Buffer, refusing (400) a body longer
 * than `limit`: at once when Content-Length says so, else as soon as the
 * count passes it. The rest of the body is then drained unbuffered, so the
 * connection stays usable for the answer.
 */
export function readNodeBody(req: NodeRequestLike, limit: number, realm: string | undefined): Promise<Buffer> {
  const declared = declaredLength(req.headers);
  if (declared !== undefined && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit, realm));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (): void => {
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onError);
      req.removeListener('close', onClose);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      size += bytes.byteLength;
      if (size > limit) {
        settle();
        req.resume();
        reject(tooLarge(limit, realm));
      } else chunks.push(bytes);
    };
    const onEnd = (): void => {
      settle();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      settle();
      reject(err);
    };
    const onClose = (): void => {
      settle();
      reject(new Error('the request was closed before its body was read'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
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

/**
 * The absolute URL a Node server received: `https` when the socket is TLS,
 * the Host header (`:authority` over HTTP/2, the local address when neither
 * is sent), and the request target (`originalUrl` for mounted routers).
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
  if (/^https?:\/\//i.test(path)) {
    let received: RequestTarget;
    try {
      received = receivedTarget(path);
    } catch {
      throw withRealm(malformed('the request target is not a valid URL'), realm);
    }
    return withOrigin(received, { protocol: `${scheme}:` }).href;
  }
  if (!path.startsWith('/')) throw withRealm(malformed('the request target must be a path'), realm);
  if (framework !== undefined) {
    if (!isReadableHost(framework.host)) throw withRealm(malformed('the host the framework reports is malformed'), realm);
    return `${scheme}://${framework.host}${path}`;
  }
  let host = getHeader(req.headers, 'host') ?? getHeader(req.headers, ':authority');
  if (host === undefined && req.socket?.localAddress !== undefined) {
    const address = req.socket.localAddress;
    host = `${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort ?? ''}`;
  }
  if (host === undefined || !isReadableHost(host)) throw withRealm(malformed('the Host header is missing or malformed'), realm);
  return `${scheme}://${host}${path}`;
}

function isRaw(value: unknown): value is string | Uint8Array {
  return typeof value === 'string' || value instanceof Uint8Array;
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

/** Where a Node framework may hold the body. */
export interface BodySources {
  /** A raw copy kept by a parser (`req.rawBody`). */
  raw?: unknown;
  /** The framework's parsed body (`req.body`). */
  parsed?: unknown;
  /** How to mount things so that the body is usable, for the error message. */
  hint: string;
}

/**
 * The body to hand to the verifier: a raw copy when one was kept, else
 * flat form fields a parser produced, else (only when the verifier needs it)
 * the stream itself, read here. `read` is set when this function read it.
 */
export async function resolveNodeBody(
  verifier: AdapterVerifier<unknown>,
  req: NodeRequestLike,
  url: string,
  limit: number,
  sources: BodySources,
): Promise<{ body: BodyLike; read?: Buffer }> {
  if (isRaw(sources.raw)) return { body: sources.raw };
  if (isRaw(sources.parsed)) return { body: sources.parsed };
  const consumed = req.readableEnded === true;
  const parsed = sources.parsed;
  if (consumed && typeof parsed === 'object' && parsed !== null && isFormContentType(getHeader(req.headers, 'content-type'))) {
    for (const [name, value] of Object.entries(parsed)) {
      if (typeof value !== 'string' && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
        throw invalidArgValue(
          `body.${name}`,
          `is a nested value: the form was parsed by an extended parser (qs), but the signature covers the flat form; ${sources.hint}`,
        );
      }
    }
    return { body: parsed as Record<string, string | string[]> };
  }
  if (!needsBody(verifier, req.headers, url)) return { body: undefined };
  if (consumed) throw bodyConsumedError(sources.hint);
  const read = await readNodeBody(req, limit, verifier.realm);
  return { body: read, read };
}

/**
 * After an adapter read the body itself (no parser ran before it), keeps it
 * for the handlers: the raw bytes as `rawBody` and, for a form, the flat
 * fields as `body` (a verified form decodes cleanly), so a later body parser
 * skips the request.
 */
export function keepReadBody(target: { rawBody?: unknown; body?: unknown }, read: Buffer, headers: HeadersLike | undefined): void {
  target.rawBody = read;
  if (isFormContentType(getHeader(headers, 'content-type'))) target.body = fieldsObject(parseForm(read.toString('utf8')));
}
