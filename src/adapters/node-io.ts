/**
 * Bodies, for the adapters of Node servers (node:http, Express, Passport,
 * Fastify, Koa): which bytes the signature is checked over, and how they are
 * read without taking them from the application. Kept apart from
 * `contract.ts` so that the Fetch and Hono adapters, which the web build
 * ships, never reach `Buffer`.
 *
 * The rule (STYLE.md, "body-parser's verify hook"): a signature is checked
 * over the bytes the client sent, never over a body rebuilt from another
 * parser's object. So, in this order:
 *
 * 1. a raw copy a parser kept (`req.rawBody`: body-parser's `verify` hook
 *    through {@link keepRawBody}, koa-bodyparser and @koa/bodyparser,
 *    koa-body's unparsed body, the Fastify hooks of oauth1/fastify);
 * 2. a body the framework left as text or bytes (`express.text()`,
 *    `express.raw()`, Fastify's text parser);
 * 3. the stream itself, when nobody read it yet: read here, within the
 *    limit, and *put back* (`readable.unshift`, before `'end'`), so a body
 *    parser mounted after the adapter still parses it as if nobody had
 *    (but never a body sent with a Content-Encoding, refused with 400: its
 *    bytes are not what an inflating parser after the adapter reads);
 * 4. otherwise, when the verifier needs the body, one `TypeError`
 *    (`ERR_INVALID_STATE`) naming the parser that consumed it and the hook
 *    to give it.
 *
 * The body is only looked at when the verifier needs it ({@link needsBody}):
 * a form, an `oauth_body_hash`, or a verifier that requires one.
 * @module
 * @internal
 */
import { mediaTypeOf } from '../core/content-type.js';
import { parseForm } from '../core/encoding.js';
import { invalidArgType, malformed, withRealm, type OAuthError } from '../core/errors.js';
import { getHeader, isFormContentType, type BodyLike, type HeadersLike } from '../core/request.js';
import { bodyConsumedError, declaredLength, fieldsObject, needsBody, tooLarge, type AdapterVerifier, type NodeRequestLike } from './contract.js';

/** What kind of body a Content-Type names, for messages that say which parser ran. */
export type BodyKind = 'form' | 'json' | 'xml' | 'text' | 'other';

/** Names the kind of body for messages only, by the one Content-Type reading (an ambiguous one is `other`: the verifier refuses it). */
export function bodyKind(headers: HeadersLike | undefined): BodyKind {
  let type: string;
  try {
    type = mediaTypeOf(getHeader(headers, 'content-type')) ?? '';
  } catch {
    return 'other';
  }
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml')) return 'xml';
  if (type.startsWith('text/')) return 'text';
  return 'other';
}

const CHUNKS_DONE = Symbol('done');

/** Listens to a Node request until it settles; returns the function that stops listening. */
function listen(req: NodeRequestLike, handlers: Record<string, (arg?: any) => void>): () => void {
  for (const [event, handler] of Object.entries(handlers)) req.on(event, handler);
  return () => {
    for (const [event, handler] of Object.entries(handlers)) req.removeListener(event, handler);
  };
}

/**
 * Reads a Node request body into one Buffer, consuming it, refusing (400) a
 * body longer than `limit`: at once when Content-Length says so, else as soon
 * as the count passes it. The rest is then drained unbuffered, so the
 * connection stays usable for the answer. For streams that cannot be put
 * back (see {@link peekNodeBody}).
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
    const stop = listen(req, {
      data(chunk: Buffer | string) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        size += bytes.byteLength;
        if (size <= limit) return void chunks.push(bytes);
        stop();
        req.resume();
        reject(tooLarge(limit, realm));
      },
      end() {
        stop();
        resolve(Buffer.concat(chunks, size));
      },
      error(err: Error) {
        stop();
        reject(err);
      },
      close() {
        stop();
        reject(new Error('the request was closed before its body was read'));
      },
    });
  });
}

/** The parts of a Node `Readable` that putting a body back needs. */
interface PeekableStream {
  read(): Buffer | string | null;
  unshift(chunk: Buffer): void;
  _readableState?: { ended?: boolean };
}

function peekable(req: NodeRequestLike): req is NodeRequestLike & PeekableStream {
  const r = req as Partial<PeekableStream>;
  return typeof r.read === 'function' && typeof r.unshift === 'function' && typeof r._readableState?.ended === 'boolean';
}

/**
 * Reads a Node request body and puts it back, so whoever reads the stream
 * next (a body parser mounted after the adapter, the application) gets every
 * byte as if it were unread. Paused-mode reads collect the chunks; once the
 * stream has seen its end, the bytes are unshifted in the same tick, before
 * `'end'` is emitted (Node allows `unshift` until then). Refuses (400) a body
 * longer than `limit`, and then drains it instead. Streams that are not Node
 * `Readable`s are read with {@link readNodeBody}.
 */
export function peekNodeBody(req: NodeRequestLike, limit: number, realm: string | undefined): Promise<Buffer> {
  if (!peekable(req)) return readNodeBody(req, limit, realm);
  const declared = declaredLength(req.headers);
  if (declared !== undefined && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit, realm));
  }
  // Ended with nothing buffered (a GET): there is nothing to read, and a 'readable' listener would only see 'end'.
  if (req._readableState?.ended === true && (req as { readableLength?: number }).readableLength === 0) return Promise.resolve(Buffer.alloc(0));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const drain = (): symbol | undefined => {
      for (let chunk = req.read(); chunk !== null; chunk = req.read()) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        size += bytes.byteLength;
        if (size > limit) return CHUNKS_DONE;
        chunks.push(bytes);
      }
      return undefined;
    };
    const stop = listen(req, {
      readable() {
        if (drain() === CHUNKS_DONE) {
          stop();
          req.resume();
          return reject(tooLarge(limit, realm));
        }
        if (req._readableState?.ended !== true) return;
        stop();
        const body = Buffer.concat(chunks, size);
        // Same tick as the read that saw the end: 'end' has not been emitted.
        if (size > 0) req.unshift(body);
        resolve(body);
      },
      end() {
        // Only reached when the end came without a 'readable' that saw it: everything read is here.
        stop();
        resolve(Buffer.concat(chunks, size));
      },
      error(err: Error) {
        stop();
        reject(err);
      },
      close() {
        stop();
        reject(new Error('the request was closed before its body was read'));
      },
    });
  });
}

/**
 * Whether a body travels with a Content-Encoding (gzip, deflate, br…): its
 * bytes on the wire are not what an inflating parser (body-parser, co-body)
 * reads, so they are never what the signature is checked over.
 */
export function contentEncoded(headers: HeadersLike | undefined): boolean {
  const encoding = getHeader(headers, 'content-encoding')?.trim().toLowerCase();
  return encoding !== undefined && encoding !== '' && encoding !== 'identity';
}

/** 400: an encoded body that no parser decoded before the OAuth check. */
function encodedBodyError(realm: string | undefined): OAuthError {
  return withRealm(
    malformed('a body sent with a Content-Encoding is checked only as its parser decodes it: mount the body parser, with its raw-body hook, before the OAuth check'),
    realm,
  ) as OAuthError;
}

function isRaw(value: unknown): value is string | Uint8Array {
  return typeof value === 'string' || value instanceof Uint8Array;
}

/** Where a Node framework may hold the body. */
export interface BodySources {
  /** A raw copy kept by a parser or a hook (`req.rawBody`). */
  raw?: unknown;
  /** The framework's parsed body (`req.body`): used only when it is text or bytes. */
  parsed?: unknown;
  /** Says which parser consumed the body and how to keep its raw copy, for the `TypeError`. */
  consumedHint(kind: BodyKind, parsed: unknown): string;
}

/**
 * The body to hand to the verifier (see the module comment for the order).
 * `read` is set when this function read the stream (and put it back).
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
  if (!needsBody(verifier, req.headers, url)) return { body: undefined };
  // Read here, the bytes would be the compressed ones while a parser after this one reads them inflated.
  if (contentEncoded(req.headers)) throw encodedBodyError(verifier.realm);
  if (req.readableEnded === true) throw bodyConsumedError(sources.consumedHint(bodyKind(req.headers), sources.parsed));
  const read = await peekNodeBody(req, limit, verifier.realm);
  return { body: read, read };
}

/**
 * After an adapter read the body itself, keeps it for handlers that no
 * parser serves: the raw bytes as `rawBody` and, for a form, the flat fields
 * as `body`, each only where nothing is set yet. The stream was put back, so
 * a parser mounted later still parses it (and replaces `body`).
 */
export function keepReadBody(target: { rawBody?: unknown; body?: unknown }, read: Buffer, headers: HeadersLike | undefined): void {
  if (target.rawBody === undefined) target.rawBody = read;
  if (target.body === undefined && isFormContentType(getHeader(headers, 'content-type'))) {
    try {
      target.body = fieldsObject(parseForm(read.toString('utf8')));
    } catch {
      // Verified forms decode cleanly; nothing to keep otherwise.
    }
  }
}

/**
 * body-parser's raw-body hook: pass it as `verify` to `express.urlencoded`,
 * `express.json`, `express.text` or `express.raw` (or the `body-parser`
 * package's parsers). It keeps the bytes the parser read as `req.rawBody`,
 * where the OAuth middleware mounted after the parser finds them, and the
 * charset the parser decodes them with as `req.rawBodyCharset` (a form read
 * as anything but UTF-8 is then refused unless it is ASCII).
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { expressMiddleware, keepRawBody } from 'oauth1/express';
 * const app = express();
 * app.use(express.urlencoded({ extended: true, verify: keepRawBody }));
 * app.use(express.json({ verify: keepRawBody }));
 * app.use('/api', expressMiddleware(verifier));
 * ```
 * @group Adapters
 */
export function keepRawBody(req: object, _res: unknown, buf: Uint8Array, encoding?: string | null): void {
  if (typeof req !== 'object' || req === null) throw invalidArgType('req', 'the request body-parser passes to verify()');
  (req as { rawBody?: unknown }).rawBody = buf;
  // The charset the parser decodes with: its defaultCharset when the Content-Type names none.
  (req as { rawBodyCharset?: unknown }).rawBodyCharset = encoding ?? undefined;
}

/**
 * The headers the verifier reads, naming the charset the parser that kept
 * the raw body decodes it with (body-parser's `defaultCharset` applies when
 * the Content-Type names none), so that a form the parser reads in another
 * charset than UTF-8 is refused as one that declares it is.
 */
export function withParserCharset(headers: NodeRequestLike['headers'], req: object): NodeRequestLike['headers'] {
  const charset = (req as { rawBodyCharset?: unknown }).rawBodyCharset;
  const type = headers['content-type'];
  if (typeof charset !== 'string' || /^utf-?8$/i.test(charset) || typeof type !== 'string') return headers;
  return { ...headers, 'content-type': `${type}; charset=${charset}` };
}
