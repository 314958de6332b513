/**
 * Fastify 4 and 5 setups: the fastifyOAuth1 plugin with Fastify's own JSON
 * and text parsers (plus the app's XML parser); the plugin with the app's own
 * parsers for every type; and the route-level preHandler with the raw-body
 * hook and form parser registered by hand.
 */
import { parse as parseQuery } from 'node:querystring';
import Fastify from 'fastify';
import Fastify4 from 'fastify4';
import type { VerifiedRequest } from '../../src/server/verifier/index.js';
import { fastifyOAuth1, fastifyPreHandler, registerFormParser, registerRawBody, type FastifyInstanceLike } from '../../src/adapters/fastify.js';
import { describeOAuth, frameworkError, type Features, type Setup } from './servers.js';

export type FastifyMode = 'plugin' | 'plugin + own parsers' | 'preHandler';

/** The structural part of a Fastify 4 or 5 instance these servers use. */
interface App extends FastifyInstanceLike {
  register(plugin: unknown, opts?: unknown): PromiseLike<unknown>;
  removeAllContentTypeParsers(): void;
  addContentTypeParser(type: string | string[], opts: { parseAs: 'string' | 'buffer' }, parser: (request: unknown, body: any) => Promise<unknown>): unknown;
  setErrorHandler(handler: (err: Error, request: unknown, reply: { code(n: number): { type(t: string): { send(b: string): unknown } } }) => void): unknown;
  all(path: string, opts: object, handler: (request: Request) => unknown): unknown;
  all(path: string, handler: (request: Request) => unknown): unknown;
  listen(o: { port: number; host: string }): Promise<string>;
  close(): Promise<unknown>;
}
type Request = { oauth: VerifiedRequest; body?: unknown };

const XML = ['application/xml', 'text/xml'];

/** The parsers an app writes itself: every type kept as the app wants it, none keeping raw bytes. */
function ownParsers(app: App): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, async (_r, text: string) => ({ ...parseQuery(text) }));
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, async (_r, buf: Buffer) => (buf.length ? JSON.parse(buf.toString('utf8')) : undefined));
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, async (_r, text: string) => text);
  app.addContentTypeParser(XML, { parseAs: 'string' }, async (_r, text: string) => text);
  app.addContentTypeParser('*', { parseAs: 'buffer' }, async (_r, buf: Buffer) => buf);
}

async function routes(app: App, mode: FastifyMode, name: string, verifier: Parameters<typeof fastifyOAuth1>[1]['verifier'], bodyLimit: number): Promise<void> {
  const handler = async (request: Request) => describeOAuth(name, request.oauth, request.body, null);
  if (mode === 'preHandler') {
    registerFormParser(app, { bodyLimit });
    registerRawBody(app, verifier);
    const preHandler = fastifyPreHandler(verifier, { bodyLimit });
    app.all('/protected/*', { preHandler }, handler);
    app.all('/mounted/inner/*', { preHandler }, handler);
    return;
  }
  await app.register(async (scope: App) => {
    await scope.register(fastifyOAuth1, { verifier, bodyLimit });
    scope.all('/protected/*', handler);
  });
  await app.register(
    async (scope: App) => {
      await scope.register(fastifyOAuth1, { verifier, bodyLimit });
      scope.all('/inner/*', handler);
    },
    { prefix: '/mounted' },
  );
}

export function fastifySetup(version: 4 | 5, mode: FastifyMode): Setup {
  const name = `fastify${version} ${mode}`;
  const own = mode === 'plugin + own parsers';
  const setup: Setup = {
    name,
    framework: 'fastify',
    version: String(version),
    parsers: own ? "the app's own (form, JSON, text, XML, */*)" : "Fastify's JSON and text + the app's XML",
    position: 'before',
    async start(verifier, { bodyLimit }) {
      const app = ((version === 4 ? Fastify4 : Fastify) as unknown as (o: object) => App)({ bodyLimit });
      // Set before the scopes are registered: they inherit it.
      app.setErrorHandler((err, _request, reply) => {
        const { status, text } = frameworkError(err);
        void reply.code(status).type('text/plain').send(text);
      });
      if (own) ownParsers(app);
      else app.addContentTypeParser(XML, { parseAs: 'string' }, async (_r, text: string) => text);
      await routes(app, mode, name, verifier, bodyLimit);
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      const features: Features = { parses: own ? ['form', 'json', 'text', 'xml', 'bytes'] : ['form', 'json', 'text', 'xml'], formShape: 'flat', rest: false, mount: true };
      return { name, base, features, close: async () => void (await app.close()) };
    },
    per: {
      'reject-body-too-large': { expect: { status: 413, framework: /too large/i }, why: "Fastify's parsers answer a body past bodyLimit before any hook runs" },
    },
  };
  if (!own) {
    const why = 'Fastify answers 415 to a type no parser is registered for, before any hook runs';
    setup.per = {
      ...setup.per,
      'accept-binary-body-hash': { expect: { status: 415, framework: /unsupported media type/i }, why },
      'reject-binary-body-hash-mismatch': { expect: { status: 415, framework: /unsupported media type/i }, why },
    };
  }
  return setup;
}

/** Every Fastify setup of one major version. */
export function fastifySetups(version: 4 | 5): Setup[] {
  return (['plugin', 'plugin + own parsers', 'preHandler'] as const).map((mode) => fastifySetup(version, mode));
}
