/**
 * Fastify (4 and 5) adapter.
 *
 * Fastify parses bodies before `preHandler` hooks run, with its own parsers
 * (JSON, text) or the app's (XML, forms…). The signature is checked over the
 * bytes the client sent, which those parsers do not keep, so:
 * - {@link registerRawBody} adds a `preParsing` hook that copies the bytes of
 *   each request the OAuth check reads (a form, an `oauth_body_hash`) into
 *   `request.rawBody` as whatever parser runs reads them;
 * - {@link registerFormParser} adds a parser for
 *   `application/x-www-form-urlencoded` (Fastify answers a form 415
 *   without one) that gives handlers the flat fields;
 * - the {@link fastifyOAuth1} plugin does both and adds the `preHandler`
 *   hook for every route of its scope, and types `request.oauth`.
 *
 * Without the raw-body hook, a body some parser consumed is reported as a
 * `TypeError` naming that parser. The URL is the one the server received;
 * proxies and public URLs are the verifier's options (`trustProxy`,
 * `publicUrl`).
 *
 * @module oauth1/fastify
 */
import { Transform, type TransformCallback } from 'node:stream';
import { parseForm } from '../core/encoding.js';
import { OAuthError } from '../core/errors.js';
import type { VerifiedRequest } from '../server/verifier/types.js';
import { contentEncoded, resolveNodeBody, type BodyKind } from './node-io.js';
import {
  adapterExtra,
  adapterSettings,
  fieldsObject,
  frameworkOrigin,
  needsBody,
  nodeHeaders,
  nodeRequestUrl,
  type AdapterOptions,
  type AdapterVerifier,
  type NodeRequestLike,
  type OAuthResult,
} from './contract.js';

export {
  OAuthError,
  type AdapterExtra,
  type AdapterName,
  type AdapterOptions,
  type AdapterVerifier,
  type OAuthRegister,
  type OAuthResult,
  type VerifiedRequest,
} from './contract.js';

// Makes the block below an augmentation of Fastify's own types (fastify ships them).
import type {} from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Set by the `preHandler` of oauth1/fastify once the request is verified:
     * a {@link VerifiedRequest}, or what {@link OAuthRegister} names. `null`
     * on routes the hook does not cover.
     */
    oauth: OAuthResult;
  }
}

/**
 * A Fastify request, structurally.
 *
 * @example
 * ```ts
 * app.get('/me', { preHandler }, (request) => ({ client: request.oauth.clientKey }));
 * ```
 * @group Adapters
 */
export interface FastifyRequestLike {
  raw: NodeRequestLike;
  url: string;
  /** Fastify's scheme and host under its `trustProxy` setting (used with `trustFrameworkProxy`; Fastify 4 has `hostname` with the port). */
  protocol?: string;
  host?: string;
  hostname?: string;
  originalUrl?: string;
  body?: unknown;
  rawBody?: unknown;
  oauth?: unknown;
}

/**
 * A Fastify reply, structurally.
 *
 * @example What the hook sends for a failed verification
 * ```ts
 * reply.code(err.status).headers(err.headers).send(err.body);
 * ```
 * @group Adapters
 */
export interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  headers(values: Record<string, string>): FastifyReplyLike;
  send(payload: string): FastifyReplyLike;
}

/**
 * The Fastify instance methods used here, structurally.
 *
 * @example
 * ```ts
 * registerFormParser(Fastify() satisfies FastifyInstanceLike);
 * ```
 * @group Adapters
 */
export interface FastifyInstanceLike {
  hasContentTypeParser(contentType: string): boolean;
  addContentTypeParser(contentType: string, opts: { parseAs: 'string'; bodyLimit?: number }, parser: (request: any, body: string) => Promise<unknown>): unknown;
  addHook(name: 'preHandler', hook: (request: any, reply: any) => Promise<unknown>): unknown;
  addHook(name: 'preParsing', hook: (request: any, reply: any, payload: any) => Promise<unknown>): unknown;
  hasRequestDecorator(name: string): boolean;
  decorateRequest(name: string, value: null): unknown;
}

const FORM = 'application/x-www-form-urlencoded';

const TYPES: Record<BodyKind, string> = { form: 'form', json: 'JSON', xml: 'XML', text: 'text', other: 'body' };

/** Names the parser that consumed the body, and the hook that keeps its bytes. */
function consumedHint(kind: BodyKind): string {
  return (
    `Fastify's ${TYPES[kind]} parser read it before the preHandler: register the raw-body hook in this route's scope, ` +
    '`await app.register(fastifyOAuth1, { verifier })` or `registerRawBody(app, verifier)` from oauth1/fastify'
  );
}

/**
 * Options of {@link fastifyPreHandler} and the {@link fastifyOAuth1} plugin.
 *
 * @example Rendering failures yourself
 * ```ts
 * fastifyPreHandler(verifier, { onError: (err, request, reply) => reply.code(err.status).headers(err.headers).send({ error: err.problem }) });
 * ```
 * @group Adapters
 */
export interface FastifyAdapterOptions extends AdapterOptions {
  /** Renders a failed verification instead of the default answer (status, `WWW-Authenticate`, problem report). */
  onError?: ((err: OAuthError, request: FastifyRequestLike, reply: FastifyReplyLike) => unknown) | undefined;
}

/**
 * A `preHandler` hook: verifies the request and sets `request.oauth` to the
 * {@link VerifiedRequest}; answers a failed verification itself (status,
 * `WWW-Authenticate`, problem report) and rethrows any other error to Fastify.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { fastifyPreHandler, registerFormParser } from 'oauth1/fastify';
 * const app = Fastify();
 * registerFormParser(app);
 * app.get('/me', { preHandler: fastifyPreHandler(verifier) }, (request) => ({ client: request.oauth.clientKey }));
 * ```
 * @group Adapters
 */
export function fastifyPreHandler<R = VerifiedRequest>(
  verifier: AdapterVerifier<R>,
  opts: FastifyAdapterOptions = {},
): (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown> {
  const settings = adapterSettings(verifier, opts);
  const onError = opts.onError;
  return async (request, reply) => {
    const req = request.raw;
    try {
      const framework = settings.trustFrameworkProxy ? frameworkOrigin(request.protocol, request.host ?? request.hostname) : undefined;
      const url = nodeRequestUrl(req, request.originalUrl ?? request.url, verifier.realm, framework);
      const { body } = await resolveNodeBody(verifier, req, url, settings.limit, { raw: request.rawBody, parsed: request.body, consumedHint });
      request.oauth = await verifier.verify({ method: req.method ?? 'GET', url, headers: nodeHeaders(req), body }, adapterExtra('fastify', request, req.socket?.remoteAddress, settings));
      return undefined;
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      if (onError !== undefined) return onError(err, request, reply);
      return reply.code(err.status).headers(err.headers).send(err.body);
    }
  };
}

/** Copies what passes through into `request.rawBody` once the payload ends; the bytes themselves pass unchanged. */
class RawBodyTap extends Transform {
  private readonly chunks: Buffer[] = [];
  /** What Fastify compares with Content-Length and the body limit. */
  receivedEncodedLength = 0;

  constructor(private readonly request: { rawBody?: unknown }) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.receivedEncodedLength += chunk.byteLength;
    this.chunks.push(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.request.rawBody = Buffer.concat(this.chunks);
    done();
  }
}

/**
 * Fastify's raw-body hook: a `preParsing` hook that, for each request the
 * OAuth check reads (a form, an `oauth_body_hash`, or any body when the
 * verifier requires a body hash), copies the bytes into `request.rawBody`
 * while whichever content-type parser runs (Fastify's JSON and text
 * parsers, the app's XML or form parser) reads them. Other requests pass
 * untouched. Register it in the scope of the routes to protect (the
 * {@link fastifyOAuth1} plugin does).
 *
 * @example Fastify's own JSON parser, a body hash checked over the bytes sent
 * ```ts
 * registerRawBody(app, verifier);
 * app.post('/orders', { preHandler: fastifyPreHandler(verifier) }, (request) => request.body);
 * ```
 * @group Adapters
 */
export function registerRawBody(fastify: FastifyInstanceLike, verifier: AdapterVerifier<unknown>): void {
  adapterSettings(verifier, {});
  fastify.addHook('preParsing', async (request: { raw: NodeRequestLike; url: string; rawBody?: unknown }, _reply: unknown, payload: NodeJS.ReadableStream) => {
    if (request.rawBody !== undefined || !needsBody(verifier, request.raw.headers, request.url)) return payload;
    // Still encoded (no decompressing hook ran before this one): a hook after it may inflate what the parser reads; keep no copy, the preHandler refuses.
    if ((payload as unknown) === request.raw && contentEncoded(request.raw.headers)) return payload;
    const tap = new RawBodyTap(request);
    payload.on('error', (err: Error) => tap.destroy(err));
    return payload.pipe(tap);
  });
}

/**
 * Adds an `application/x-www-form-urlencoded` parser that keeps the raw text
 * in `request.rawBody` (what the signature covers) and gives handlers the
 * flat fields. A body that is not valid form encoding is left as its text,
 * so the OAuth check answers it with its own 400. Does nothing when a form
 * parser exists already.
 *
 * @example
 * ```ts
 * registerFormParser(app, { bodyLimit: 64 * 1024 });
 * ```
 * @group Adapters
 */
export function registerFormParser(fastify: FastifyInstanceLike, opts: { bodyLimit?: number } = {}): void {
  if (fastify.hasContentTypeParser(FORM)) return;
  const options = opts.bodyLimit === undefined ? { parseAs: 'string' as const } : { parseAs: 'string' as const, bodyLimit: opts.bodyLimit };
  fastify.addContentTypeParser(FORM, options, async (request: { rawBody?: unknown }, text: string) => {
    request.rawBody = text;
    try {
      return fieldsObject(parseForm(text));
    } catch {
      return text;
    }
  });
}

/**
 * Options of the {@link fastifyOAuth1} plugin.
 *
 * @example
 * ```ts
 * await app.register(fastifyOAuth1, { verifier, bodyLimit: 64 * 1024 });
 * ```
 * @group Adapters
 */
export interface FastifyOAuth1Options<R = VerifiedRequest> extends FastifyAdapterOptions {
  verifier: AdapterVerifier<R>;
}

/**
 * A Fastify plugin: the form parser, the raw-body hook and the `preHandler`
 * hook for every route of the context it is registered in (it is not
 * encapsulated, like a fastify-plugin plugin: register it inside the scope
 * to protect). Fastify's own JSON and text parsers, and the app's parsers
 * for other types, keep working: the hook copies the bytes they read.
 *
 * @example
 * ```ts
 * app.register(async (api) => {
 *   await api.register(fastifyOAuth1, { verifier });
 *   api.get('/me', (request) => ({ client: request.oauth.clientKey }));
 * }, { prefix: '/api' });
 * ```
 * @group Adapters
 */
export async function fastifyOAuth1<R = VerifiedRequest>(fastify: FastifyInstanceLike, opts: FastifyOAuth1Options<R>): Promise<void> {
  const { verifier, ...rest } = opts ?? ({} as FastifyOAuth1Options<R>);
  const hook = fastifyPreHandler(verifier, rest);
  registerFormParser(fastify, rest.bodyLimit === undefined ? {} : { bodyLimit: rest.bodyLimit });
  registerRawBody(fastify, verifier);
  if (!fastify.hasRequestDecorator('oauth')) fastify.decorateRequest('oauth', null);
  fastify.addHook('preHandler', hook);
}
// Not encapsulated (what fastify-plugin marks), so the hook and parser reach the registering context.
Object.assign(fastifyOAuth1, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'oauth1',
  [Symbol.for('plugin-meta')]: { name: 'oauth1', fastify: '4.x || 5.x' },
});
