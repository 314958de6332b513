/**
 * oauth1/fastify on a real Fastify 5 server: the shared HTTP suite (through
 * the `fastifyOAuth1` plugin, at the root of one scope and under a prefix),
 * then the form parser and the route-level preHandler on their own.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { sign } from '../../src/client/sign.js';
import { fastifyOAuth1, fastifyPreHandler, registerFormParser } from '../../src/adapters/fastify.js';
import { CLIENT, FORM, TOKEN, defineHttpSuite, makeVerifier, send } from './http-suite.js';
import { startFastify } from './servers.js';

defineHttpSuite('fastify', startFastify);

describe('oauth1/fastify specifics', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const signedForm = (base: string, body = 'a=1&a=2') =>
    sign({ method: 'POST', url: `${base}/r`, headers: { 'content-type': FORM }, body }, { client: CLIENT, token: TOKEN });

  it('without the form parser, Fastify itself answers 415 to a form', async () => {
    app = Fastify();
    app.post('/r', { preHandler: fastifyPreHandler(makeVerifier().verifier) }, async () => 'ok');
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const s = signedForm(base);
    expect((await send({ method: 'POST', url: s.url, headers: s.headers, body: s.body })).status).toBe(415);
  });

  it('registerFormParser + a route-level preHandler: accepted, request.oauth and the fields reach the handler', async () => {
    app = Fastify();
    registerFormParser(app);
    app.post('/r', { preHandler: fastifyPreHandler(makeVerifier().verifier) }, async (request) => ({
      key: (request as unknown as { oauth: { consumerKey: string } }).oauth.consumerKey,
      body: request.body,
      raw: (request as unknown as { rawBody: string }).rawBody,
    }));
    app.post('/open', async (request) => ({ body: request.body }));
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const s = signedForm(base);
    const res = await send({ method: 'POST', url: s.url, headers: s.headers, body: s.body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ key: CLIENT.key, body: { a: ['1', '2'] }, raw: 'a=1&a=2' });
    // A form that is not valid form encoding stays text for unprotected routes too.
    const open = await send({ method: 'POST', url: `${base}/open`, headers: { 'content-type': FORM }, body: 'q=%zz' });
    expect(await open.json()).toEqual({ body: 'q=%zz' });
  });

  it('the plugin is not encapsulated: registered in a scope, it protects that scope only', async () => {
    app = Fastify();
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
    app = Fastify();
    registerFormParser(app);
    expect(() => registerFormParser(app!)).not.toThrow();
  });
});
