/**
 * One real server per framework, each protecting `/protected/*` (and, where
 * the framework mounts routers, `/mounted/inner/*`) with its adapter. The
 * handler answers JSON built from the VerifiedRequest it was handed, plus
 * what the framework shows of the body, so the suite can see both.
 *
 * Every server sends non-OAuth errors down the framework's own error path,
 * which answers `500 framework-error: <message>`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify, { type FastifyRequest } from 'fastify';
import Koa from 'koa';
import { Hono, type Context, type Next } from 'hono';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { OAuthError } from '../../src/core/errors.js';
import type { VerifiedRequest } from '../../src/server/verifier/index.js';
import { verifyNodeRequest, sendOAuthError } from '../../src/adapters/node.js';
import { expressMiddleware } from '../../src/adapters/express.js';
import { fastifyOAuth1 } from '../../src/adapters/fastify.js';
import { koaMiddleware } from '../../src/adapters/koa.js';
import { verifyFetchRequest, oauthErrorResponse } from '../../src/adapters/fetch.js';
import type { AdapterVerifier } from '../../src/adapters/contract.js';

export type FrameworkKind = 'node' | 'express' | 'fastify' | 'koa' | 'fetch';

/** What a protected handler answers. */
export interface HandlerJson {
  server: string;
  consumerKey: string;
  tokenKey: string | null;
  signatureMethod: string;
  realm: string | null;
  url: string;
  params: Array<[string, string]>;
  /** The form fields the framework gives handlers after the adapter ran (null where it has no such view). */
  form: Record<string, unknown> | null;
  /** What was still unread in the body stream when the handler ran (null where the server cannot tell). */
  rest: string | null;
}

export interface RunningServer {
  name: string;
  kind: FrameworkKind;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** Whether `form` / `rest` are reported by this server. */
  features: { form: boolean; rest: boolean; mount: boolean };
  close(): Promise<void>;
}

export interface ServerOptions {
  bodyLimit: number;
}

export type ServerFactory = (verifier: AdapterVerifier, opts: ServerOptions) => Promise<RunningServer>;

function describeOAuth(server: string, oauth: VerifiedRequest, form: unknown, rest: string | null): HandlerJson {
  return {
    server,
    consumerKey: oauth.consumerKey,
    tokenKey: oauth.tokenKey ?? null,
    signatureMethod: oauth.signatureMethod,
    realm: oauth.realm ?? null,
    url: oauth.url,
    params: oauth.params.map(([n, v]) => [n, v]),
    form: typeof form === 'object' && form !== null && !(form instanceof Uint8Array) ? { ...(form as Record<string, unknown>) } : null,
    rest,
  };
}

/** Reads whatever is left in a Node request stream (the adapter leaves bodies it does not need). */
async function restOf(req: IncomingMessage): Promise<string | null> {
  if (req.readableEnded) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function listening(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

export const startNode: ServerFactory = async (verifier, { bodyLimit }) => {
  const server = createServer(async (req, res) => {
    try {
      if (!req.url?.startsWith('/protected/')) {
        res.statusCode = 404;
        res.end();
        return;
      }
      const oauth = await verifyNodeRequest(verifier, req, { bodyLimit });
      const body = JSON.stringify(describeOAuth('node', oauth, null, await restOf(req)));
      res.setHeader('content-type', 'application/json');
      res.end(body);
    } catch (err) {
      if (sendOAuthError(res, err)) return;
      res.statusCode = 500;
      res.end(`framework-error: ${(err as Error).message}`);
    }
  });
  return { name: 'node', kind: 'node', base: await listening(server), features: { form: false, rest: true, mount: false }, close: closer(server) };
};

/** Express, with no body parser, `express.urlencoded({ extended: false })`, or `express.raw()` mounted first. */
export function startExpress(parser: 'none' | 'urlencoded' | 'raw'): ServerFactory {
  const name = parser === 'none' ? 'express' : `express-${parser}`;
  return async (verifier, { bodyLimit }) => {
    const app = express();
    if (parser === 'urlencoded') app.use(express.urlencoded({ extended: false, limit: bodyLimit }));
    if (parser === 'raw') app.use(express.raw({ type: () => true, limit: bodyLimit }));
    const guard = expressMiddleware(verifier, { bodyLimit });
    const handler: express.RequestHandler = async (req, res) => {
      const rest = parser === 'none' ? await restOf(req) : null;
      res.json(describeOAuth(name, (req as unknown as { oauth: VerifiedRequest }).oauth, req.body, rest));
    };
    const protectedRouter = express.Router();
    protectedRouter.use(guard, handler);
    app.use('/protected', protectedRouter);
    // A router mounted in a router: req.url is '/resource' down there, req.originalUrl the whole path.
    const inner = express.Router();
    inner.use(guard, handler);
    const outer = express.Router();
    outer.use('/inner', inner);
    app.use('/mounted', outer);
    app.use(((err, _req, res, _next) => {
      const status = (err as { status?: number }).status ?? 500;
      res.status(status).type('text/plain').send(status === 500 ? `framework-error: ${(err as Error).message}` : (err as Error).message);
    }) as express.ErrorRequestHandler);
    const server = createServer(app);
    return { name, kind: 'express', base: await listening(server), features: { form: parser !== 'raw', rest: parser === 'none', mount: true }, close: closer(server) };
  };
}

export const startFastify: ServerFactory = async (verifier, { bodyLimit }) => {
  const app = Fastify();
  // Set before the scopes are registered: they inherit it.
  app.setErrorHandler((err, _request, reply) => {
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    void reply.code(status).type('text/plain').send(status === 500 ? `framework-error: ${(err as Error).message}` : (err as Error).message);
  });
  // For oauth_body_hash on JSON: keep the raw text beside the parsed body.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, async (request: FastifyRequest, text: string) => {
    (request as unknown as { rawBody: string }).rawBody = text;
    return text.length ? JSON.parse(text) : undefined;
  });
  const handler = async (request: { oauth?: VerifiedRequest | null; body?: unknown }) =>
    describeOAuth('fastify', request.oauth!, request.body, null);
  await app.register(async (scope) => {
    await scope.register(fastifyOAuth1, { verifier, bodyLimit });
    scope.all('/protected/*', handler);
  });
  await app.register(
    async (scope) => {
      await scope.register(fastifyOAuth1, { verifier, bodyLimit });
      scope.all('/inner/*', handler);
    },
    { prefix: '/mounted' },
  );
  app.get('/open', async () => ({ open: true }));
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { name: 'fastify', kind: 'fastify', base, features: { form: true, rest: false, mount: true }, close: () => app.close() };
};

export const startKoa: ServerFactory = async (verifier, { bodyLimit }) => {
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      ctx.status = 500;
      ctx.type = 'text/plain';
      ctx.body = `framework-error: ${(err as Error).message}`;
    }
  });
  const guard = koaMiddleware(verifier, { bodyLimit });
  const handler = async (ctx: Koa.Context): Promise<void> => {
    const rest = await restOf(ctx.req);
    ctx.body = describeOAuth('koa', ctx.state['oauth'] as VerifiedRequest, (ctx.request as { body?: unknown }).body ?? null, rest);
  };
  app.use(async (ctx, next) => {
    if (ctx.path.startsWith('/mounted/inner/')) {
      // What koa-mount does: the mounted app sees a shorter path; ctx.originalUrl keeps the whole one.
      const whole = ctx.path;
      ctx.path = whole.slice('/mounted/inner'.length);
      try {
        await guard(ctx, () => handler(ctx));
      } finally {
        ctx.path = whole;
      }
    } else if (ctx.path.startsWith('/protected/')) {
      await guard(ctx, () => handler(ctx));
    } else await next();
  });
  const server = createServer(app.callback());
  return { name: 'koa', kind: 'koa', base: await listening(server), features: { form: true, rest: true, mount: true }, close: closer(server) };
};

export const startHono: ServerFactory = async (verifier, { bodyLimit }) => {
  const app = new Hono<{ Variables: { oauth: VerifiedRequest } }>();
  const guard = async (c: Context, next: Next): Promise<Response | void> => {
    try {
      const extra = { remoteAddress: getConnInfo(c).remote.address };
      c.set('oauth', await verifyFetchRequest(verifier, c.req.raw, { bodyLimit, extra }));
    } catch (err) {
      if (err instanceof OAuthError) return oauthErrorResponse(err);
      throw err;
    }
    await next();
  };
  const handler = async (c: Context): Promise<Response> => {
    const isForm = (c.req.header('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
    // The adapter read a clone: the request itself is still readable here.
    const form = isForm ? await c.req.parseBody({ all: true }) : null;
    const rest = isForm ? null : await c.req.text();
    return c.json(describeOAuth('hono', c.get('oauth') as VerifiedRequest, form, rest));
  };
  app.use('/protected/*', guard);
  app.all('/protected/*', handler);
  const sub = new Hono<{ Variables: { oauth: VerifiedRequest } }>();
  sub.use('/inner/*', guard);
  sub.all('/inner/*', handler);
  app.route('/mounted', sub);
  app.onError((err, c) => c.text(`framework-error: ${err.message}`, 500));
  const { base, close } = await new Promise<{ base: string; close: () => Promise<void> }>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({ base: `http://127.0.0.1:${info.port}`, close: closer(server as Server) });
    });
  });
  return { name: 'hono', kind: 'fetch', base, features: { form: true, rest: true, mount: true }, close };
};
