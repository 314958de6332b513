/**
 * oauth1/hono: the shared HTTP suite on Hono served by @hono/node-server,
 * then what only this middleware does: the Node socket's facts on
 * node-server, the runtime's URL elsewhere, and bodies a middleware before
 * it read already.
 */
import { connect } from 'node:net';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { sign } from '../../src/client/sign.js';
import { honoMiddleware, type HonoOAuthEnv } from '../../src/adapters/hono.js';
import { CLIENT, FORM, TOKEN, defineHttpSuite, makeVerifier } from './http-suite.js';
import { HONO_SETUP } from './servers.js';

defineHttpSuite(HONO_SETUP);

describe('oauth1/hono specifics', () => {
  let close: (() => void) | undefined;
  afterEach(() => {
    close?.();
    close = undefined;
  });

  function signedRequest(url: string, body: string, contentType = FORM, bodyHash = false): Request {
    const s = sign({ method: 'POST', url, headers: { 'content-type': contentType }, body }, { client: CLIENT, token: TOKEN, bodyHash });
    return new Request(s.url, { method: 'POST', headers: s.headers, body: s.body as string });
  }

  function app(before?: (c: { req: Hono['request'] extends never ? never : any }) => Promise<unknown>) {
    const a = new Hono<HonoOAuthEnv>();
    a.onError((err, c) => c.text(`${(err as { code?: string }).code} ${err.message}`, 500));
    if (before) a.use(async (c, next) => void (await before(c), await next()));
    a.use(honoMiddleware(makeVerifier().verifier));
    a.post('/r', (c) => c.json({ client: c.get('oauth').clientKey, url: c.get('oauth').url }));
    return a;
  }

  it('off node-server (app.request), checks c.req.url as the runtime gives it', async () => {
    const res = await app().request(signedRequest('https://api.example.com/r?x=1', 'a=1'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ client: CLIENT.key, url: 'https://api.example.com/r?x=1' });
  });

  it('uses the body a middleware before it read as text (Hono caches the bytes)', async () => {
    const res = await app((c) => c.req.text()).request(signedRequest('https://api.example.com/r', '{"a":1}', 'application/json', true));
    expect(res.status).toBe(200);
  });

  it('uses the bytes parseBody() of a middleware before it cached', async () => {
    const res = await app((c) => c.req.parseBody()).request(signedRequest('https://api.example.com/r', 'a=1'));
    expect(res.status).toBe(200);
  });

  it('reports a body read before it only as form data: a TypeError naming formData()', async () => {
    const res = await app((c) => c.req.formData()).request(signedRequest('https://api.example.com/r', 'a=1'));
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/^ERR_INVALID_STATE .*c\.req\.formData\(\) of a middleware before honoMiddleware/);
  });

  it('renders failures through options.onError', async () => {
    const a = new Hono<HonoOAuthEnv>();
    a.use(honoMiddleware(makeVerifier().verifier, { onError: (err, c) => c.json({ problem: err.problem }, 403) }));
    a.get('/r', (c) => c.text('never'));
    const res = await a.request('https://api.example.com/r');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ problem: 'parameter_absent' });
  });

  it('on node-server, the scheme is the socket\'s: an absolute-form https target over plain TCP is checked as http', async () => {
    const a = app();
    const port = await new Promise<number>((resolve) => {
      const server = serve({ fetch: a.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
      close = () => server.close();
    });
    // Signed for https (what the target claims); the connection is plain TCP.
    const s = sign({ method: 'POST', url: `https://127.0.0.1:${port}/r`, headers: { 'content-type': FORM }, body: 'a=1' }, { client: CLIENT, token: TOKEN });
    const head = [`POST https://127.0.0.1:${port}/r HTTP/1.1`, `Host: 127.0.0.1:${port}`, `Authorization: ${s.headers['Authorization']}`, `Content-Type: ${FORM}`, 'Content-Length: 3', 'Connection: close', '', 'a=1'];
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(head.join('\r\n')));
      let text = '';
      socket.setEncoding('utf8').on('data', (d: string) => (text += d));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 401/);
    expect(answer).toContain('oauth_problem="signature_invalid"');
  });

  it('checks its arguments when the middleware is made', () => {
    expect(() => honoMiddleware(null as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    // Hono has no trust-proxy setting to take: the option is refused, not ignored.
    expect(() => honoMiddleware(makeVerifier().verifier, { trustFrameworkProxy: true })).toThrow(/"options\.trustFrameworkProxy" has no meaning for Hono/);
  });
});
