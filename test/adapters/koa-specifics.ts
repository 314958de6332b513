/**
 * What only the Koa adapter does, on Koa 2 and 3: the raw copies parsers
 * keep, and the error for a body consumed without one.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import Koa3 from 'koa3';
import { afterEach, describe, expect, it } from 'vitest';
import { sign } from '../../src/client/sign.js';
import { koaMiddleware } from '../../src/adapters/koa.js';
import { CLIENT, TOKEN, makeVerifier, send } from './http-suite.js';

export function koaSpecifics(version: 2 | 3): void {
  const K = (version === 3 ? Koa3 : Koa) as typeof Koa;
  describe(`oauth1/koa specifics (Koa ${version})`, () => {
    let server: Server | undefined;
    afterEach(async () => {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
    });

    async function listen(app: Koa): Promise<string> {
      server = createServer(app.callback());
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    async function postJson(base: string): Promise<Response> {
      const s = sign({ method: 'POST', url: `${base}/r`, headers: { 'content-type': 'application/json' }, body: '{"n":1}' }, { client: CLIENT, token: TOKEN, bodyHash: true });
      return send({ method: 'POST', url: s.url, headers: s.headers, body: s.body });
    }

    /** Reads the stream as a parser would, and keeps nothing raw unless told where. */
    const consume = (keep: (ctx: Koa.Context, text: string) => void): Koa.Middleware => async (ctx, next) => {
      const chunks: Buffer[] = [];
      for await (const c of ctx.req) chunks.push(c as Buffer);
      keep(ctx, Buffer.concat(chunks).toString('utf8'));
      await next();
    };

    it("uses koa-body's unparsed body (includeUnparsed: true) for the body hash", async () => {
      const app = new K();
      app.use(consume((ctx, text) => Object.assign(ctx.request, { body: { n: 1, [Symbol.for('unparsedBody')]: text } })));
      app.use(koaMiddleware(makeVerifier().verifier));
      app.use((ctx) => {
        ctx.body = { key: (ctx.state['oauth'] as { clientKey: string }).clientKey };
      });
      const res = await postJson(await listen(app));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ key: CLIENT.key });
    });

    it('rethrows a body consumed without a raw copy to Koa as a TypeError naming the parsers that keep one', async () => {
      const app = new K();
      app.silent = true;
      let caught: unknown;
      app.use(async (ctx, next) => {
        try {
          await next();
        } catch (err) {
          caught = err;
          ctx.status = 500;
        }
      });
      app.use(consume((ctx, text) => Object.assign(ctx.request, { body: JSON.parse(text) })));
      app.use(koaMiddleware(makeVerifier().verifier));
      const res = await postJson(await listen(app));
      expect(res.status).toBe(500);
      expect(res.headers.get('www-authenticate')).toBeNull();
      expect(caught).toBeInstanceOf(TypeError);
      expect(caught).toMatchObject({ code: 'ERR_INVALID_STATE' });
      expect(String((caught as Error).message)).toContain('koa-bodyparser or @koa/bodyparser');
    });
  });
}
