/**
 * What only the Express adapter does, on Express 4 and 5: the TypeError that
 * names the parser which consumed a body without the raw-body hook, and the
 * hook itself.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import express4 from 'express4';
import { afterEach, describe, expect, it } from 'vitest';
import { sign } from '../../src/client/sign.js';
import { expressMiddleware, keepRawBody } from '../../src/adapters/express.js';
import { CLIENT, FORM, TOKEN, makeVerifier, send } from './http-suite.js';

export function expressSpecifics(version: 4 | 5): void {
  const e = (version === 4 ? express4 : express) as typeof express;
  describe(`oauth1/express specifics (Express ${version})`, () => {
    let server: Server | undefined;
    afterEach(async () => {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
    });

    /** An app with `before` mounted ahead of the middleware; errors answered as `500 <code> <name>: <message>`. */
    async function app(before: express.RequestHandler[], after: express.RequestHandler[] = []): Promise<string> {
      const a = e();
      for (const h of before) a.use(h);
      a.use(expressMiddleware(makeVerifier().verifier));
      for (const h of after) a.use(h);
      a.use((req, res) => res.json({ key: (req as unknown as { oauth: { clientKey: string } }).oauth.clientKey, body: req.body ?? null }));
      a.use(((err, _req, res, _next) => {
        res.status(500).send(`${(err as { code?: string }).code} ${(err as Error).name}: ${(err as Error).message}`);
      }) as express.ErrorRequestHandler);
      server = createServer(a);
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    async function post(base: string, contentType: string, body: string, bodyHash = false): Promise<{ status: number; text: string; www: string | null }> {
      const s = sign({ method: 'POST', url: `${base}/r`, headers: { 'content-type': contentType }, body }, { client: CLIENT, token: TOKEN, bodyHash });
      const res = await send({ method: 'POST', url: s.url, headers: s.headers, body: s.body });
      return { status: res.status, text: await res.text(), www: res.headers.get('www-authenticate') };
    }

    it('express.urlencoded({ extended: true }) without the hook: a TypeError to next(err) that names it and the hook', async () => {
      const base = await app([e.urlencoded({ extended: true })]);
      const res = await post(base, FORM, 'ids%5B%5D=1&user%5Bname%5D=ann');
      expect(res.status).toBe(500);
      expect(res.text).toMatch(/^ERR_INVALID_STATE TypeError: the request body was read before the OAuth check and no raw copy was kept; /);
      expect(res.text).toContain('express.urlencoded({ extended: true, verify: keepRawBody })');
      expect(res.www).toBeNull();
    });

    it('express.urlencoded({ extended: false }) without the hook: the same TypeError (no body rebuilt from the parsed fields)', async () => {
      const base = await app([e.urlencoded({ extended: false })]);
      const res = await post(base, FORM, 'a=1&a=2');
      expect(res.status).toBe(500);
      expect(res.text).toMatch(/^ERR_INVALID_STATE TypeError: .*express\.urlencoded\(\{ extended: …, verify: keepRawBody \}\)/);
    });

    it('express.json() without the hook, body hash: a TypeError that names express.json', async () => {
      const base = await app([e.json()]);
      const res = await post(base, 'application/json', '{"a":1}', true);
      expect(res.status).toBe(500);
      expect(res.text).toMatch(/^ERR_INVALID_STATE TypeError: .*express\.json\(\{ verify: keepRawBody \}\)/);
    });

    it('express.json() without the hook and a JSON body without a body hash: nothing to check, accepted', async () => {
      const base = await app([e.json()]);
      const res = await post(base, 'application/json', '{"a":[1,2]}');
      expect(res.status, res.text).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ key: CLIENT.key, body: { a: [1, 2] } });
    });

    it('keepRawBody keeps the bytes the parser read; the app still gets the nested fields', async () => {
      const base = await app([e.urlencoded({ extended: true, verify: keepRawBody })]);
      const res = await post(base, FORM, 'ids%5B%5D=1&ids%5B%5D=2&user%5Bname%5D=ann');
      expect(res.status, res.text).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ key: CLIENT.key, body: { ids: ['1', '2'], user: { name: 'ann' } } });
    });

    it('mounted before express.urlencoded({ extended: true }): the parser still parses the body the middleware read', async () => {
      const base = await app([], [e.urlencoded({ extended: true })]);
      const res = await post(base, FORM, 'user%5Bname%5D=ann&user%5Brole%5D=x');
      expect(res.status, res.text).toBe(200);
      expect(JSON.parse(res.text).body).toEqual({ user: { name: 'ann', role: 'x' } });
    });

    it('checks its arguments when the middleware is made', () => {
      expect(() => expressMiddleware(null as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
      expect(() => expressMiddleware(makeVerifier().verifier, { bodyLimit: -1 })).toThrow('"options.bodyLimit" must be a positive integer number of bytes');
    });
  });
}
