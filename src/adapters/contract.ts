/**
 * What the framework adapters share: deciding whether a request's body is
 * needed, reading it within a limit, and rebuilding the absolute URL of a
 * Node request. No verification happens here: the verifier does all of it.
 * @module
 * @internal
 */
import { parseForm } from '../core/encoding.js';
import { OAuthError, invalidArgType, invalidArgValue } from '../core/errors.js';
import { parseAuthorizationHeader } from '../core/header.js';
import { HOST_PATTERN } from '../server/public-url.js';
import { getHeader, isFormContentType, type BodyLike, type HeadersLike, type HttpRequestLike } from '../core/request.js';
import type { ClientRecord, TokenRecord, VerifiedRequest, VerifyExtra } from '../server/verifier/index.js';

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
export interface AdapterVerifier<C extends ClientRecord = ClientRecord, T extends TokenRecord = TokenRecord> {
  verify(req: HttpRequestLike, extra?: VerifyExtra): Promise<VerifiedRequest<C, T>>;
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
  socket?: { encrypted?: boolean; remoteAddress?: string | undefined; localAddress?: string | undefined; localPort?: number | undefined } | null;
  readableEnded?: boolean;
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeListener(event: string, listener: (...args: any[]) => void): unknown;
  resume(): unknown;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Checks an adapter's arguments once, when the middleware is made; returns the body limit. */
export function checkAdapterArgs(verifier: unknown, opts: unknown): number {
  if (typeof (verifier as AdapterVerifier | null)?.verify !== 'function') {
    throw invalidArgType('verifier', 'a verifier made by createVerifier()');
  }
  if (opts !== undefined && (typeof opts !== 'object' || opts === null)) throw invalidArgType('options', 'an object');
  const limit = (opts as AdapterOptions | undefined)?.bodyLimit ?? (verifier as AdapterVerifier).bodyLimit ?? DEFAULT_BODY_LIMIT;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit <= 0) {
    throw invalidArgValue('options.bodyLimit', 'must be a positive integer number of bytes');
  }
  const extra = (opts as AdapterOptions | undefined)?.extra;
  if (extra !== undefined && (typeof extra !== 'object' || extra === null)) throw invalidArgType('options.extra', 'an object');
  return limit;
}

/**
 * Whether the verifier will look at the body: a form is signed; a body hash
 * (announced in the header or the query, even percent-encoded) or a verifier
 * that requires one needs the raw bytes. Any other body is left unread, for
 * the application.
 */
export function needsBody(verifier: AdapterVerifier<any, any>, headers: HeadersLike | undefined, url: string): boolean {
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

function oauthError(realm: string | undefined, message: string): OAuthError {
  return new OAuthError(400, 'parameter_rejected', message, realm === undefined ? {} : { realm });
}

function tooLarge(limit: number, realm: string | undefined): OAuthError {
  return oauthError(realm, `the body is larger than ${limit} bytes`);
}

/** A programmer's mistake in how the adapter is mounted (the body is gone). */
function bodyConsumed(hint: string): TypeError {
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
export function nodeRequestUrl(req: NodeRequestLike, target: string | undefined, realm: string | undefined): string {
  const path = target ?? req.url ?? '/';
  const scheme = req.socket?.encrypted === true ? 'https' : 'http';
  // An absolute-form target (RFC 9112 §3.2.2) names host and path; the scheme
  // is the connection's, never the client's word (an https-only check must not
  // be talked past over plain TCP).
  if (/^https?:\/\//i.test(path)) {
    let target: URL;
    try {
      target = new URL(path);
    } catch {
      throw oauthError(realm, 'the request target is not a valid URL');
    }
    return `${scheme}://${target.host}${target.pathname}${target.search}`;
  }
  if (!path.startsWith('/')) throw oauthError(realm, 'the request target must be a path');
  let host = getHeader(req.headers, 'host') ?? getHeader(req.headers, ':authority');
  if (host === undefined && req.socket?.localAddress !== undefined) {
    const address = req.socket.localAddress;
    host = `${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort ?? ''}`;
  }
  if (host === undefined || !HOST_PATTERN.test(host)) throw oauthError(realm, 'the Host header is missing or malformed');
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
  verifier: AdapterVerifier<any, any>,
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
  if (consumed) throw bodyConsumed(sources.hint);
  const read = await readNodeBody(req, limit, verifier.realm);
  return { body: read, read };
}
