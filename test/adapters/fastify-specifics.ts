/**
 * What only the Fastify adapter does, on Fastify 4 and 5: the raw-body hook
 * with Fastify's own parsers, the TypeError without it, the form parser, the
 * plugin's scope.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import Fastify4 from 'fastify4';
import { afterEach, describe, expect, it } from 'vitest';
import { sign } from '../../src/client/sign.js';
import { fastifyOAuth1, fastifyPreHandler, registerFormParser, registerRawBody } from '../../src/adapters/fastify.js';
import { CLIENT, FORM, TOKEN, makeVerifier, send } from './http-suite.js';

type App = FastifyInstance;

export function fastifySpecifics(version: 4 | 5): void {
  const make = (): App => ((version === 4 ? Fastify4 : Fastify) as unknown as () => App)();
  describe(`oauth1/fastify specifics (Fastify ${version})`, () => {
    let app: App | undefined;
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });

    const signed = (base: string, contentType: string, body: string, bodyHash = false) =>
      sign({ method: 'POST', url: `${base}/r`, headers: { 'content-type': contentType }, body }, { client: CLIENT, token: TOKEN, bodyHash });

    async function post(base: string, contentType: string, body: string, bodyHash = false): Promise<Response> {
      const s = signed(base, contentType, body, bodyHash);
      return send({ method: 'POST', url: s.url, headers: s.headers, body: s.body });
    }

    it('without the form parser, Fastify itself answers 415 to a form', async () => {
      app = make();
      app.post('/r', { preHandler: fastifyPreHandler(makeVerifier().verifier) }, async () => 'ok');
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      expect((await post(base, FORM, 'a=1&a=2')).status).toBe(415);
    });

    it("Fastify's JSON parser without the raw-body hook, body hash: a TypeError naming the parser and the hook", async () => {
      app = make();
      app.setErrorHandler((err, _request, reply) => void reply.code(500).send(`${(err as { code?: string }).code} ${(err as Error).message}`));
      app.post('/r', { preHandler: fastifyPreHandler(makeVerifier().verifier) }, async () => 'ok');
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      const res = await post(base, 'application/json', '{"a":1}', true);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).toMatch(/^ERR_INVALID_STATE the request body was read before the OAuth check and no raw copy was kept; Fastify's JSON parser/);
      expect(text).toContain('registerRawBody(app, verifier)');
    });

    it("registerRawBody: Fastify's JSON parser still parses, and the body hash is checked over the bytes", async () => {
      app = make();
      const { verifier } = makeVerifier();
      registerRawBody(app, verifier);
      app.post('/r', { preHandler: fastifyPreHandler(verifier) }, async (request) => ({ body: request.body, raw: String((request as unknown as { rawBody: Buffer }).rawBody) }));
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      const ok = await post(base, 'application/json', '{"a": [1, 2]}', true);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ body: { a: [1, 2] }, raw: '{"a": [1, 2]}' });
      // Requests the check does not read pass untouched: no copy kept.
      const plain = await post(base, 'application/json', '{"b":1}');
      expect(await plain.json()).toEqual({ body: { b: 1 }, raw: 'undefined' });
    });

    it('registerFormParser + a route-level preHandler: accepted, request.oauth and the fields reach the handler', async () => {
      app = make();
      registerFormParser(app);
      app.post('/r', { preHandler: fastifyPreHandler(makeVerifier().verifier) }, async (request) => ({
        key: request.oauth.clientKey,
        body: request.body,
        raw: (request as unknown as { rawBody: string }).rawBody,
      }));
      app.post('/open', async (request) => ({ body: request.body }));
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      const res = await post(base, FORM, 'a=1&a=2');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ key: CLIENT.key, body: { a: ['1', '2'] }, raw: 'a=1&a=2' });
      // A form that is not valid form encoding stays text for unprotected routes too.
      const open = await send({ method: 'POST', url: `${base}/open`, headers: { 'content-type': FORM }, body: 'q=%zz' });
      expect(await open.json()).toEqual({ body: 'q=%zz' });
    });

    it('the plugin is not encapsulated: registered in a scope, it protects that scope only', async () => {
      app = make();
      await app.register(async (scope) => {
        await scope.register(fastifyOAuth1, { verifier: makeVerifier().verifier });
        scope.get('/inside', async () => 'inside');
      });
      app.get('/outside', async () => 'outside');
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      const inside = await fetch(`${base}/inside`);
      expect(inside.status).toBe(401);
      expect(inside.headers.get('www-authenticate')).toContain('oauth_problem="parameter_absent"');
      expect(await (await fetch(`${base}/outside`)).text()).toBe('outside');
    });

    it('does not add a second form parser', () => {
      app = make();
      registerFormParser(app);
      expect(() => registerFormParser(app as App)).not.toThrow();
    });
  });
}
