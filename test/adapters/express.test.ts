/**
 * oauth1/express on real Express 5 servers: the shared HTTP suite with no
 * body parser, after `express.urlencoded({ extended: false })` and after
 * `express.raw()`; then how it reports being mounted where it cannot work.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { sign } from '../../src/client/sign.js';
import { expressMiddleware } from '../../src/adapters/express.js';
import { CLIENT, FORM, TOKEN, defineHttpSuite, makeVerifier, send } from './http-suite.js';
import { startExpress } from './servers.js';

defineHttpSuite('express', startExpress('none'));
defineHttpSuite('express-urlencoded', startExpress('urlencoded'));
defineHttpSuite('express-raw', startExpress('raw'));

describe('oauth1/express specifics', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  /** An app with `before` mounted ahead of the middleware; errors answered as `500 <code> <message>`. */
  async function app(before: express.RequestHandler[]): Promise<string> {
    const a = express();
    for (const h of before) a.use(h);
    a.use(expressMiddleware(makeVerifier().verifier));
    a.use((req, res) => res.json({ key: (req as unknown as { oauth: { consumerKey: string } }).oauth.consumerKey, body: req.body ?? null }));
    a.use(((err, _req, res, _next) => {
      res.status(500).send(`${(err as { code?: string }).code} ${(err as Error).name}: ${(err as Error).message}`);
    }) as express.ErrorRequestHandler);
    server = createServer(a);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('hands a TypeError to next(err) when the extended (qs) parser nested the fields', async () => {
    const base = await app([express.urlencoded({ extended: true })]);
    const s = sign({ method: 'POST', url: `${base}/r`, headers: { 'content-type': FORM }, body: 'user%5Bname%5D=ann' }, { client: CLIENT, token: TOKEN });
    const res = await send({ method: 'POST', url: s.url, headers: s.headers, body: s.body });
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(text).toMatch(/^ERR_INVALID_ARG_VALUE TypeError: "body\.user" is a nested value/);
    expect(text).toContain('express.urlencoded({ extended: false })');
    expect(res.headers.get('www-authenticate')).toBeNull();
  });

  it('hands an error to next(err) when express.json() consumed a body-hashed body without keeping it', async () => {
    const base = await app([express.json()]);
    const s = sign({ method: 'POST', url: `${base}/r`, headers: { 'content-type': 'application/json' }, body: '{"a":1}' }, { client: CLIENT, token: TOKEN, bodyHash: true });
    const res = await send({ method: 'POST', url: s.url, headers: s.headers, body: s.body });
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/^ERR_INVALID_STATE TypeError: the request body was read before the OAuth check.*req\.rawBody/);
  });

  it('uses req.rawBody kept by express.json({ verify }) for the body hash', async () => {
    const keep = express.json({ verify: (req, _res, buf) => void ((req as unknown as { rawBody: Buffer }).rawBody = buf) });
    const base = await app([keep]);
    const s = sign({ method: 'POST', url: `${base}/r`, headers: { 'content-type': 'application/json' }, body: '{"a":1}' }, { client: CLIENT, token: TOKEN, bodyHash: true });
    const res = await send({ method: 'POST', url: s.url, headers: s.headers, body: s.body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ key: CLIENT.key, body: { a: 1 } });
  });

  it('leaves a JSON body without a body hash to a parser mounted after it', async () => {
    const a = express();
    a.use(expressMiddleware(makeVerifier().verifier));
    a.use(express.json());
    a.use((req, res) => res.json({ body: req.body }));
    server = createServer(a);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const s = sign({ method: 'POST', url: `${base}/r`, headers: { 'content-type': 'application/json' }, body: '{"a":[1,2]}' }, { client: CLIENT, token: TOKEN });
    const res = await send({ method: 'POST', url: s.url, headers: s.headers, body: s.body });
    expect(await res.json()).toEqual({ body: { a: [1, 2] } });
  });

  it('checks its arguments when the middleware is made', () => {
    expect(() => expressMiddleware(null as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    expect(() => expressMiddleware(makeVerifier().verifier, { bodyLimit: -1 })).toThrow('"options.bodyLimit" must be a positive integer number of bytes');
  });
});
