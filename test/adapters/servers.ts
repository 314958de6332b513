/**
 * What every test server shares: the JSON a protected handler answers, the
 * description of a setup (framework, version, body parsers and where they
 * are mounted), and the node:http and Hono servers. Express, Fastify and
 * Koa setups live in servers-express.ts, servers-fastify.ts and
 * servers-koa.ts; setups.ts lists them all (the framework x parser matrix).
 *
 * Each server protects `/protected/*` (and, where the framework mounts
 * routers, `/mounted/inner/*`) with its adapter. The handler answers JSON
 * built from the VerifiedRequest it was handed, plus what the framework's
 * parsers show of the body, so the suite can see both. Every server sends
 * non-OAuth errors down the framework's own error path, which answers
 * `<status> framework-error: <message>`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import type { VerifiedRequest } from '../../src/server/verifier/index.js';
import { verifyNodeRequest, sendOAuthError } from '../../src/adapters/node.js';
import { honoMiddleware, type HonoOAuthEnv } from '../../src/adapters/hono.js';
import { oauthErrorResponse, verifyFetchRequest } from '../../src/adapters/fetch.js';
import { OAuthError } from '../../src/core/errors.js';
import type { MiddlewareHandler } from 'hono';
import type { AdapterVerifier } from '../../src/adapters/contract.js';

/** What a protected handler answers. */
export interface HandlerJson {
  server: string;
  consumerKey: string;
  clientKey: string;
  tokenKey: string | null;
  signatureMethod: string;
  realm: string | null;
  url: string;
  params: Array<[string, string]>;
  /**
   * What the framework's body parsers gave the handler (`req.body`,
   * `request.body`, `ctx.request.body`, Hono's `parseBody`/`json`/`text`):
   * an object, text, `bytes:<length>`, or null where nothing was parsed.
   */
  parsed: unknown;
  /** What was still unread in the body stream when the handler ran (null where the server cannot tell). */
  rest: string | null;
}

/** Kinds of body a setup's parsers hand to handlers. */
export type ParsedKind = 'form' | 'json' | 'xml' | 'text' | 'bytes';

export interface Features {
  /** What the setup's parsers put in the handler's view, by kind of body. */
  parses: readonly ParsedKind[];
  /** How form fields look there: `flat` (`{ 'a[b]': '1' }`) or `nested` by qs (`{ a: { b: '1' } }`). */
  formShape: 'flat' | 'nested' | null;
  /** The handler reports what is left unread in the stream. */
  rest: boolean;
  /** Routes mounted in routers (`/mounted/inner/*`). */
  mount: boolean;
}

export interface RunningServer {
  name: string;
  /** `http://127.0.0.1:<port>` */
  base: string;
  features: Features;
  close(): Promise<void>;
}

export interface ServerOptions {
  bodyLimit: number;
}

export type ServerFactory = (verifier: AdapterVerifier, opts: ServerOptions) => Promise<RunningServer>;

/** An answer that differs from a case's usual one in a setup, and why. */
export type Expectation =
  | { status: 200 }
  | { status: 400 | 401; problem: string }
  /** An answer from the framework itself (its parser, its error path), not from the adapter. */
  | { status: number; framework: string | RegExp };

/** One row of the framework x parser matrix. */
export interface Setup {
  /** Stable and unique: `<framework><version> <parsers> <position>`, e.g. `express5 urlencoded(extended) before`. */
  name: string;
  framework: 'node' | 'express' | 'fastify' | 'koa' | 'hono';
  version: string;
  /** The body parsers of the app, as a person would name them. */
  parsers: string;
  /** Where the parsers are mounted relative to the OAuth middleware. */
  position: 'before' | 'after' | 'n/a';
  start: ServerFactory;
  /** Expectations that differ here, by case id, with the reason. */
  per?: Record<string, { expect: Expectation; why: string }>;
}

/** What a handler's body view looks like in JSON. */
export function bodyView(body: unknown): unknown {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return `bytes:${body.byteLength}`;
  if (typeof body === 'object') return Object.keys(body).length === 0 ? null : JSON.parse(JSON.stringify(body));
  return String(body);
}

export function describeOAuth(server: string, oauth: VerifiedRequest, parsed: unknown, rest: string | null): HandlerJson {
  return {
    server,
    consumerKey: oauth.consumerKey,
    clientKey: oauth.clientKey,
    tokenKey: oauth.tokenKey ?? null,
    signatureMethod: oauth.signatureMethod,
    realm: oauth.realm ?? null,
    url: oauth.url,
    params: oauth.params.map(([n, v]) => [n, v]),
    parsed: bodyView(parsed),
    rest,
  };
}

/** Reads whatever is left in a Node request stream. */
export async function restOf(req: IncomingMessage): Promise<string | null> {
  if (req.readableEnded) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function listening(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

export function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

/** The answer of every framework's error path: the error's status (500 by default) and message. */
export function frameworkError(err: unknown): { status: number; text: string } {
  const e = err as { status?: number; statusCode?: number; message?: string };
  const status = e.status ?? e.statusCode ?? 500;
  return { status, text: `framework-error: ${e.message ?? String(err)}` };
}

const nodeServer: ServerFactory = async (verifier, { bodyLimit }) => {
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
      const { status, text } = frameworkError(err);
      res.statusCode = status;
      res.end(text);
    }
  });
  const features: Features = { parses: [], formShape: null, rest: true, mount: false };
  return { name: 'node', base: await listening(server), features, close: closer(server) };
};

export const NODE_SETUP: Setup = { name: 'node', framework: 'node', version: process.version, parsers: 'none (the application reads the stream)', position: 'n/a', start: nodeServer };

/** What Hono's own body readers give for a request of this Content-Type. */
async function honoBody(c: { req: { header(name: string): string | undefined; parseBody(o: { all: true }): Promise<unknown>; json(): Promise<unknown>; text(): Promise<string>; arrayBuffer(): Promise<ArrayBuffer> } }): Promise<unknown> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) return c.req.parseBody({ all: true });
  if (type.startsWith('application/json')) return c.req.json();
  if (type.startsWith('text/') || type.includes('xml')) return c.req.text();
  if (type) return new Uint8Array(await c.req.arrayBuffer());
  return null;
}

/** The Fetch adapter by hand, as on any runtime that hands over a `Request` (Bun, Deno, Next.js). */
function fetchGuard(verifier: AdapterVerifier, bodyLimit: number): MiddlewareHandler<HonoOAuthEnv> {
  return async (c, next) => {
    try {
      c.set('oauth', await verifyFetchRequest(verifier, c.req.raw, { bodyLimit, extra: { remoteAddress: (c.env as { incoming?: IncomingMessage }).incoming?.socket.remoteAddress } }));
    } catch (err) {
      if (err instanceof OAuthError) return oauthErrorResponse(err);
      throw err;
    }
    await next();
    return undefined;
  };
}

const honoServer = (adapter: 'hono' | 'fetch'): ServerFactory => async (verifier, { bodyLimit }) => {
  const name = adapter === 'hono' ? 'hono' : 'hono + oauth1/fetch';
  const guard = adapter === 'hono' ? honoMiddleware(verifier, { bodyLimit }) : fetchGuard(verifier, bodyLimit);
  const app = new Hono<HonoOAuthEnv>();
  app.use('/protected/*', guard);
  // The adapter read a clone: the request itself is still readable here.
  app.all('/protected/*', async (c) => c.json(describeOAuth(name, c.get('oauth'), await honoBody(c), null)));
  const sub = new Hono<HonoOAuthEnv>();
  sub.use('/inner/*', guard);
  sub.all('/inner/*', async (c) => c.json(describeOAuth(name, c.get('oauth'), await honoBody(c), null)));
  app.route('/mounted', sub);
  app.onError((err, c) => {
    const { status, text } = frameworkError(err);
    return c.text(text, status as 500);
  });
  const { base, close } = await new Promise<{ base: string; close: () => Promise<void> }>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({ base: `http://127.0.0.1:${info.port}`, close: closer(server as Server) });
    });
  });
  const features: Features = { parses: ['form', 'json', 'xml', 'text', 'bytes'], formShape: 'flat', rest: false, mount: true };
  return { name, base, features, close };
};

export const HONO_SETUP: Setup = {
  name: 'hono',
  framework: 'hono',
  version: '4',
  parsers: "Hono's own (parseBody, json, text) in the handler",
  position: 'after',
  start: honoServer('hono'),
};

export const HONO_FETCH_SETUP: Setup = { ...HONO_SETUP, name: 'hono + oauth1/fetch', start: honoServer('fetch') };
