/**
 * oauth1/koa on a real Koa 2 server: the shared HTTP suite, then the raw
 * body a body parser kept.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { sign } from '../../src/client/sign.js';
import { koaMiddleware } from '../../src/adapters/koa.js';
import { CLIENT, TOKEN, defineHttpSuite, makeVerifier, send } from './http-suite.js';
import { startKoa } from './servers.js';

defineHttpSuite('koa', startKoa);

describe('oauth1/koa specifics', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function listen(app: Koa): Promise<string> {
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** What koa-bodyparser leaves behind: the stream read, `rawBody` text and a parsed `body`. */
  const bodyParserLike: Koa.Middleware = async (ctx, next) => {
    const chunks: Buffer[] = [];
    for await (const c of ctx.req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    Object.assign(ctx.request, { rawBody: text, body: text ? JSON.parse(text) : {} });
    await next();
  };

  it('uses ctx.request.rawBody kept by a body parser for the body hash', async () => {
    const app = new Koa();
    app.use(bodyParserLike);
    app.use(koaMiddleware(makeVerifier().verifier));
    app.use((ctx) => {
      ctx.body = { key: (ctx.state['oauth'] as { consumerKey: string }).consumerKey, body: (ctx.request as { body?: unknown }).body };
    });
    const base = await listen(app);
    const s = sign({ method: 'POST', url: `${base}/r`, headers: { 'content-type': 'application/json' }, body: '{"n":1}' }, { client: CLIENT, token: TOKEN, bodyHash: true });
    const ok = await send({ method: 'POST', url: s.url, headers: s.headers, body: s.body });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ key: CLIENT.key, body: { n: 1 } });
  });

  it('rethrows a body consumed without a raw copy to Koa (500), not as an OAuth answer', async () => {
    const app = new Koa();
    app.silent = true;
    app.use(async (ctx, next) => {
      for await (const _ of ctx.req) void _;
      await next();
    });
    app.use(koaMiddleware(makeVerifier().verifier));
    const base = await listen(app);
    const s = sign({ method: 'POST', url: `${base}/r`, headers: { 'content-type': 'application/json' }, body: '{"n":1}' }, { client: CLIENT, token: TOKEN, bodyHash: true });
    const res = await send({ method: 'POST', url: s.url, headers: s.headers, body: s.body });
    expect(res.status).toBe(500);
    expect(res.headers.get('www-authenticate')).toBeNull();
  });
});
