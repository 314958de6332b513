/**
 * Fastify (4 and 5) adapter.
 *
 * Fastify parses bodies before `preHandler` hooks run and answers 415 to a
 * form unless a parser for `application/x-www-form-urlencoded` exists:
 * {@link registerFormParser} (or the {@link fastifyOAuth1} plugin) adds one
 * that keeps the raw text in `request.rawBody` and gives handlers the flat
 * fields. For `oauth_body_hash` on other types, keep the raw bytes in
 * `request.rawBody` (or use a parser with `parseAs: 'string'`/`'buffer'`
 * that returns them). The URL is the one the server received; proxies and
 * public URLs are the verifier's options (`trustProxy`, `publicUrl`).
 *
 * @module oauth1/fastify
 */
import { parseForm } from '../core/encoding.js';
import { OAuthError } from '../core/errors.js';
import type { VerifiedRequest } from '../server/verifier/types.js';
import { adapterExtra, adapterSettings, fieldsObject, frameworkOrigin, nodeHeaders, nodeRequestUrl, type AdapterOptions, type AdapterVerifier, type NodeRequestLike } from './contract.js';
import { resolveNodeBody } from './node-io.js';

export { OAuthError, type AdapterExtra, type AdapterName, type AdapterOptions, type AdapterVerifier, type VerifiedRequest } from './contract.js';

/**
 * A Fastify request, structurally.
 *
 * @example
 * ```ts
 * app.get('/me', { preHandler }, (request) => ({ client: request.oauth.consumerKey }));
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
  hasRequestDecorator(name: string): boolean;
  decorateRequest(name: string, value: null): unknown;
}

const FORM = 'application/x-www-form-urlencoded';
const HINT = 'register the form parser of oauth1/fastify, or keep the raw body in request.rawBody';

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
 * app.get('/me', { preHandler: fastifyPreHandler(verifier) }, (request) => ({ client: request.oauth.consumerKey }));
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
      const { body } = await resolveNodeBody(verifier, req, url, settings.limit, { raw: request.rawBody, parsed: request.body, hint: HINT });
      request.oauth = await verifier.verify({ method: req.method ?? 'GET', url, headers: nodeHeaders(req), body }, adapterExtra('fastify', request, req.socket?.remoteAddress, settings));
      return undefined;
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      if (onError !== undefined) return onError(err, request, reply);
      return reply.code(err.status).headers(err.headers).send(err.body);
    }
  };
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
 * A Fastify plugin: the form parser plus the `preHandler` hook for every
 * route of the context it is registered in (it is not encapsulated, like a
 * fastify-plugin plugin: register it inside the scope to protect).
 *
 * @example
 * ```ts
 * app.register(async (api) => {
 *   await api.register(fastifyOAuth1, { verifier });
 *   api.get('/me', (request) => ({ client: request.oauth.consumerKey }));
 * }, { prefix: '/api' });
 * ```
 * @group Adapters
 */
export async function fastifyOAuth1<R = VerifiedRequest>(fastify: FastifyInstanceLike, opts: FastifyOAuth1Options<R>): Promise<void> {
  const { verifier, ...rest } = opts ?? ({} as FastifyOAuth1Options<R>);
  const hook = fastifyPreHandler(verifier, rest);
  registerFormParser(fastify, rest.bodyLimit === undefined ? {} : { bodyLimit: rest.bodyLimit });
  if (!fastify.hasRequestDecorator('oauth')) fastify.decorateRequest('oauth', null);
  fastify.addHook('preHandler', hook);
}
// Not encapsulated (what fastify-plugin marks), so the hook and parser reach the registering context.
Object.assign(fastifyOAuth1, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'oauth1',
  [Symbol.for('plugin-meta')]: { name: 'oauth1', fastify: '4.x || 5.x' },
});
