// Attacks on the adapters' body paths after the raw-body work (the third
// review's variants): the body the verifier checks must be the body the
// application's parser reads. Each block fails on the code before its fix;
// the "held" blocks catalogue variants that were already refused.
import { createServer, type Server } from 'node:http';
import { connect as connectHttp2, createServer as createHttp2Server } from 'node:http2';
import { connect as connectTcp, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import passport from 'passport';
import { Hono } from 'hono';
import { methodOverride } from 'hono/method-override';
import Koa from 'koa';
import Fastify from 'fastify';
import { createInflate } from 'node:zlib';
import { createVerifier, sign } from '../src/index.js';
import { expressMiddleware, keepRawBody } from '../src/adapters/express.js';
import { honoMiddleware } from '../src/adapters/hono.js';
import { koaMiddleware } from '../src/adapters/koa.js';
import { fastifyOAuth1 } from '../src/adapters/fastify.js';
import { TokenStrategy, keepRawBody as passportKeepRawBody } from '../src/adapters/passport.js';

const client = { key: 'ck', secret: 'cs' };
const FORM = 'application/x-www-form-urlencoded';

function verifier() {
  return createVerifier({ tokenRequired: false, lookupClient: (k) => (k === 'ck' ? { secret: 'cs' } : undefined) });
}

async function listen(app: (req: any, res: any) => void): Promise<{ server: Server; base: string }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Signs a form body as `signedType`, then sends `sentBody` as `sentType` with extra headers (what a man in the middle can change). */
async function post(url: string, body: string | Uint8Array, sent: { type?: string; body?: string | Uint8Array; headers?: Record<string, string> } = {}) {
  const s = sign({ method: 'POST', url, headers: { 'content-type': FORM }, body }, { client });
  const headers = { ...s.headers, 'content-type': sent.type ?? FORM, ...sent.headers };
  const res = await fetch(s.url, { method: 'POST', headers, body: (sent.body ?? body) as BodyInit });
  return { status: res.status, text: await res.text() };
}

/** Adler-32, for a hand-made zlib stream. */
function adler32(data: Uint8Array): Buffer {
  let a = 1;
  let b = 0;
  for (const x of data) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  const out = Buffer.alloc(4);
  out.writeUInt16BE(b, 0);
  out.writeUInt16BE(a, 2);
  return out;
}

/**
 * A zlib (Content-Encoding: deflate) stream that is also valid UTF-8 and
 * reads as a form: one stored block of 0x7F3D bytes (its LEN/NLEN header is
 * `= DEL U+0080`), the data chosen so that the Adler-32 is letters and digits.
 * Inflated, it is `&amount=100&pad=…&t=`.
 */
function deflatedForm(): { wire: Buffer; inflated: Buffer } {
  const head = '&amount=100&pad=';
  const tail = '&t=';
  const pad = Buffer.alloc(0x7f3d - head.length - tail.length, 'p');
  pad.fill('z', 0, 3393);
  pad[4266] = 0x7a;
  const inflated = Buffer.concat([Buffer.from(head), pad, Buffer.from(tail)]);
  return { wire: Buffer.concat([Buffer.from([0x78, 0x01, 0x01, 0x3d, 0x7f, 0xc2, 0x80]), inflated, adler32(inflated)]), inflated };
}

describe('Content-Encoding: the verifier never checks compressed bytes that a parser inflates', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    const app = express();
    // The middleware first: it reads the stream and puts it back; the parser after it inflates.
    app.use(expressMiddleware(verifier()));
    app.use(express.urlencoded({ extended: false }));
    app.post('/pay', (req, res) => void res.json(req.body));
    ({ server, base } = await listen(app));
  });
  afterAll(() => close(server));

  it('the hand-made stream is what it claims (valid UTF-8, inflates to the form)', async () => {
    const { wire, inflated } = deflatedForm();
    const { inflateSync } = await import('node:zlib');
    expect(inflateSync(wire).equals(inflated)).toBe(true);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(wire)).not.toThrow();
  });

  it('a form with Content-Encoding: deflate read by the adapter itself is refused with 400, not verified over the compressed bytes', async () => {
    const { wire } = deflatedForm();
    const r = await post(`${base}/pay`, wire, { headers: { 'content-encoding': 'deflate' } });
    expect(r.status, r.text.slice(0, 80)).toBe(400);
    expect(r.text).toContain('oauth_problem=parameter_rejected');
  });

  it('held: Content-Encoding: identity is no encoding', async () => {
    const r = await post(`${base}/pay`, 'amount=100', { headers: { 'content-encoding': 'identity' } });
    expect(r.status, r.text).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ amount: '100' });
  });
});

describe('Content-Encoding on Fastify: a decompressing hook registered after the plugin inflates what the parser reads', () => {
  const apps: ReturnType<typeof Fastify>[] = [];
  const bases: Record<'own' | 'plugin', string> = { own: '', plugin: '' };
  beforeAll(async () => {
    for (const kind of ['own', 'plugin'] as const) {
      const app = Fastify();
      // The app's own form parser (as @fastify/formbody registers one): the plugin then keeps only its raw-body hook's copy.
      if (kind === 'own') app.addContentTypeParser(FORM, { parseAs: 'string' }, (_req, text, done) => done(null, Object.fromEntries(new URLSearchParams(text as string))));
      await app.register(fastifyOAuth1 as never, { verifier: verifier() });
      // Like @fastify/compress's request decompression, but registered after the plugin's raw-body hook.
      app.addHook('preParsing', async (request, _reply, payload) => {
        if (request.headers['content-encoding'] !== 'deflate') return payload;
        const inflate = Object.assign(createInflate(), { receivedEncodedLength: 0 });
        payload.on('data', (chunk: Buffer) => void (inflate.receivedEncodedLength += chunk.byteLength));
        return payload.pipe(inflate);
      });
      app.post('/pay', async (request) => request.body);
      bases[kind] = await app.listen({ port: 0, host: '127.0.0.1' });
      apps.push(app);
    }
  });
  afterAll(() => Promise.all(apps.map((a) => a.close())));

  it('with the app\'s own form parser, the still-compressed copy is never what is verified: 400', async () => {
    const { wire } = deflatedForm();
    const r = await post(`${bases.own}/pay`, wire, { headers: { 'content-encoding': 'deflate' } });
    expect(r.status, r.text.slice(0, 80)).toBe(400);
  });

  it('held: with the plugin\'s form parser, the inflated text it parsed is what is verified', async () => {
    const { deflateSync } = await import('node:zlib');
    const r = await post(`${bases.plugin}/pay`, 'amount=100', { body: deflateSync('amount=100'), headers: { 'content-encoding': 'deflate' } });
    expect(r.status, r.text).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ amount: '100' });
    const { wire } = deflatedForm();
    expect((await post(`${bases.plugin}/pay`, wire, { headers: { 'content-encoding': 'deflate' } })).status).toBe(401);
  });
});

describe('Content-Encoding after a parser that inflates: the inflated bytes are what keepRawBody kept (held)', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    const app = express();
    app.use(express.urlencoded({ extended: false, verify: keepRawBody }));
    app.use(expressMiddleware(verifier()));
    app.post('/pay', (req, res) => void res.json(req.body));
    ({ server, base } = await listen(app));
  });
  afterAll(() => close(server));

  it('signed over the form, sent deflated: verified over what the parser read', async () => {
    const { deflateSync } = await import('node:zlib');
    const s = sign({ method: 'POST', url: `${base}/pay`, headers: { 'content-type': FORM }, body: 'amount=100' }, { client });
    const res = await fetch(s.url, { method: 'POST', headers: { ...s.headers, 'content-encoding': 'deflate' }, body: deflateSync('amount=100') });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({ amount: '100' });
  });
});

describe('charset: a form is read as UTF-8 by the signature, so one a parser reads in another charset is refused', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    const app = express();
    // body-parser 2 decodes iso-8859-1 forms as Latin-1 (qs charset option).
    app.use(express.urlencoded({ extended: false, verify: keepRawBody }));
    app.use(expressMiddleware(verifier()));
    app.post('/name', (req, res) => void res.json(req.body));
    ({ server, base } = await listen(app));
  });
  afterAll(() => close(server));

  it('signed as UTF-8 "é", relabelled charset=iso-8859-1 (the app would read "Ã©"): 400', async () => {
    const r = await post(`${base}/name`, 'name=%C3%A9', { type: `${FORM}; charset=iso-8859-1` });
    expect(r.status, r.text).toBe(400);
    expect(r.text).toContain('oauth_problem=parameter_rejected');
  });

  it('a charset given twice (body-parser takes the last): 400 when either reads differently', async () => {
    for (const type of [`${FORM}; charset=utf-8; charset=iso-8859-1`, `${FORM}; charset=iso-8859-1; charset=utf-8`]) {
      const r = await post(`${base}/name`, 'name=%C3%A9', { type });
      expect([type, r.status]).toEqual([type, 400]);
    }
  });

  it('raw Latin-1 bytes under charset=iso-8859-1: 400 (not valid UTF-8 either way)', async () => {
    const r = await post(`${base}/name`, 'name=x', { type: `${FORM}; charset=ISO-8859-1`, body: Buffer.from('name=\xe9', 'latin1') });
    expect(r.status, r.text).toBe(400);
  });

  it('held: an ASCII form labelled charset=ISO-8859-1 (Apache HttpClient\'s default) reads the same in both charsets: accepted', async () => {
    const r = await post(`${base}/name`, 'name=ann%20lee', { type: `${FORM}; charset=ISO-8859-1` });
    expect(r.status, r.text).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ name: 'ann lee' });
  });

  it('held: charset=utf-8 (any case, quoted) is the signature\'s own reading', async () => {
    const r = await post(`${base}/name`, 'name=%C3%A9', { type: `${FORM}; charset="UTF-8"` });
    expect(r.status, r.text).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ name: 'é' });
  });
});

describe("charset: body-parser's defaultCharset decodes a form sent without one as Latin-1", () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    const app = express();
    const options = { extended: false, defaultCharset: 'iso-8859-1', verify: keepRawBody }; // body-parser 2 (its types lag)
    app.use(express.urlencoded(options));
    app.use(expressMiddleware(verifier()));
    app.post('/name', (req, res) => void res.json(req.body));
    ({ server, base } = await listen(app));
  });
  afterAll(() => close(server));

  it('signed as UTF-8 "é", read by the parser as "Ã©": 400 (keepRawBody tells the middleware the charset the parser used)', async () => {
    const r = await post(`${base}/name`, 'name=%C3%A9');
    expect(r.status, r.text).toBe(400);
  });

  it('held: an ASCII form reads the same', async () => {
    const r = await post(`${base}/name`, 'name=ann');
    expect(r.status, r.text).toBe(200);
  });
});

describe('byte order mark: a form body that starts with one is refused (parsers disagree on the first name)', () => {
  const app = new Hono();
  app.use(honoMiddleware(verifier()));
  // Fetch's form parser (and Hono's parseBody) keep the BOM in the first name; the verifier's UTF-8 decoding dropped it.
  app.post('/f', async (c) => c.json(await c.req.parseBody()));

  it('signed "a=1", sent with a BOM in front: 400, not a verified request whose app reads "\\uFEFFa"', async () => {
    const s = sign({ method: 'POST', url: 'http://localhost/f', headers: { 'content-type': FORM }, body: 'a=1' }, { client });
    const res = await app.request(s.url, { method: 'POST', headers: s.headers, body: '\uFEFFa=1' });
    expect(res.status, await res.clone().text()).toBe(400);
  });

  it('held: the same body without the BOM is accepted and read the same', async () => {
    const s = sign({ method: 'POST', url: 'http://localhost/f', headers: { 'content-type': FORM }, body: 'a=1' }, { client });
    const res = await app.request(s.url, { method: 'POST', headers: s.headers, body: s.body as string });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ a: '1' });
  });
});

describe('passport TokenStrategy: careless records and token ownership', () => {
  let server: Server;
  let base = '';
  const consumers: Record<string, { secret?: unknown }> = { ck: { secret: 'cs' }, other: { secret: 'os' }, broken: {} };
  beforeAll(async () => {
    const auth = new passport.Passport();
    auth.use(
      'token',
      new TokenStrategy(
        (key: string, done: (err: unknown, consumer?: object | false, secret?: string) => void) =>
          consumers[key] ? done(null, { key }, consumers[key].secret as string) : done(null, false),
        (token: string, done: (err: unknown, user?: object | false, secret?: string, info?: object) => void) =>
          token === 'at' ? done(null, { id: 'u1' }, 'ts', { clientKey: 'ck' }) : done(null, false),
      ),
    );
    const app = express();
    app.use(express.urlencoded({ extended: false, verify: passportKeepRawBody }));
    app.get('/api', auth.authenticate('token', { session: false }), (req, res) => void res.json({ user: req.user }));
    app.use(((err, _req, res, _next) => void res.status(500).send(`error: ${(err as Error).message}`)) as express.ErrorRequestHandler);
    ({ server, base } = await listen(app));
  });
  afterAll(() => close(server));

  async function get(c: { key: string; secret: string }) {
    const s = sign({ method: 'GET', url: `${base}/api` }, { client: c, token: { key: 'at', secret: 'ts' } });
    const res = await fetch(s.url, { headers: s.headers });
    return { status: res.status, text: await res.text(), www: res.headers.get('www-authenticate') };
  }

  it('held: the token\'s own client is accepted', async () => {
    const r = await get(client);
    expect(r.status, r.text).toBe(200);
  });

  it('a token whose info names another client (clientKey) is refused for this one', async () => {
    const r = await get({ key: 'other', secret: 'os' });
    expect(r.status, r.text).toBe(401);
    expect(r.www).toContain('oauth_problem="token_rejected"');
  });

  it('a consumer callback that gives no secret is answered like an unknown consumer (401), not a 500 naming the key', async () => {
    const unknown = await get({ key: 'nobody', secret: 'x' });
    const broken = await get({ key: 'broken', secret: 'x' });
    expect(broken.status, broken.text).toBe(401);
    expect(broken.text).not.toContain('broken');
    expect(broken.www).toBe(unknown.www);
  });
});

describe('trustFrameworkProxy: Express and Koa read the first element of a forwarded list, which a client may have written', () => {
  const plaintext = () =>
    createVerifier({ tokenRequired: false, signatureMethods: ['PLAINTEXT'], lookupClient: (k) => (k === 'ck' ? { secret: 'cs', signatureMethods: ['PLAINTEXT'] } : undefined) });
  const servers: Server[] = [];
  const bases: Record<string, string> = {};
  beforeAll(async () => {
    const app = express();
    app.set('trust proxy', 'loopback');
    app.get('/r', expressMiddleware(plaintext(), { trustFrameworkProxy: true }), (_req, res) => void res.send('ok'));
    const koa = new Koa();
    koa.proxy = true;
    koa.use(koaMiddleware(plaintext(), { trustFrameworkProxy: true }));
    koa.use((ctx) => void (ctx.body = 'ok'));
    for (const [name, handler] of [['express', app], ['koa', koa.callback()]] as const) {
      const { server, base } = await listen(handler as (req: any, res: any) => void);
      servers.push(server);
      bases[name] = base;
    }
  });
  afterAll(() => Promise.all(servers.map(close)));

  async function get(name: string, forwarded: Record<string, string>) {
    const s = sign({ method: 'GET', url: 'https://api.example.com/r' }, { client, signatureMethod: 'PLAINTEXT' });
    const res = await fetch(`${bases[name]}/r`, { headers: { ...s.headers, ...forwarded } });
    return { status: res.status, text: await res.text() };
  }

  for (const name of ['express', 'koa']) {
    it(`${name}: "X-Forwarded-Proto: https, http" (the client's https, the proxy's http appended) does not make PLAINTEXT pass over http`, async () => {
      const r = await get(name, { 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'api.example.com' });
      expect(r.status, r.text).toBe(400);
    });

    it(`${name}: a client's X-Forwarded-Host in front of the proxy's is not the signed host`, async () => {
      const r = await get(name, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com, internal.example' });
      expect(r.status, r.text).toBe(400);
    });

    it(`held: ${name} with one X-Forwarded-Proto and Host from the proxy`, async () => {
      const r = await get(name, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' });
      expect(r.status, r.text).toBe(200);
    });
  }
});

describe('passport: a store that cannot answer is a 503 with Retry-After, as through every adapter', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    const auth = new passport.Passport();
    const failing = { consume: () => Promise.reject(new Error('redis is down')) };
    auth.use(
      'token',
      new TokenStrategy(
        { nonceStore: failing },
        (key: string, done: (err: unknown, consumer?: object | false, secret?: string) => void) => (key === 'ck' ? done(null, { key }, 'cs') : done(null, false)),
        (token: string, done: (err: unknown, user?: object | false, secret?: string) => void) => (token === 'at' ? done(null, { id: 'u1' }, 'ts') : done(null, false)),
      ),
    );
    const app = express();
    app.get('/api', auth.authenticate('token', { session: false }), (req, res) => void res.json({ user: req.user }));
    ({ server, base } = await listen(app));
  });
  afterAll(() => close(server));

  it('503 and Retry-After (Passport\'s fail() would drop the header)', async () => {
    const s = sign({ method: 'GET', url: `${base}/api` }, { client, token: { key: 'at', secret: 'ts' } });
    const res = await fetch(s.url, { headers: s.headers });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('HTTP/2: a Host header that differs from :authority is refused (Koa reads :authority, the base string took Host)', () => {
  const koa = new Koa();
  koa.use(koaMiddleware(verifier()));
  koa.use((ctx) => void (ctx.body = { host: ctx.host }));
  const server = createHttp2Server(koa.callback() as never);
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function send(authority: string, host: string | undefined, signedFor: string): Promise<{ status: number; text: string }> {
    const s = sign({ method: 'GET', url: `http://${signedFor}/r` }, { client });
    const session = connectHttp2(`http://127.0.0.1:${port}`);
    const headers: Record<string, string> = { ':path': '/r', ':authority': authority, authorization: s.headers['Authorization'] as string };
    if (host !== undefined) headers['host'] = host;
    return new Promise((resolve, reject) => {
      const req = session.request(headers);
      let status = 0;
      let text = '';
      req.on('response', (h) => (status = Number(h[':status'])));
      req.setEncoding('utf8').on('data', (d: string) => (text += d));
      req.on('end', () => {
        session.close();
        resolve({ status, text });
      });
      req.on('error', reject);
    });
  }

  it('signed for the Host header, routed by :authority: 400', async () => {
    const r = await send('tenant-a.example', 'tenant-b.example', 'tenant-b.example');
    expect(r.status, r.text).toBe(400);
  });

  it('held: the same value in both, or :authority alone, is verified', async () => {
    expect((await send('tenant-a.example', 'tenant-a.example', 'tenant-a.example')).status).toBe(200);
    expect((await send('tenant-a.example', undefined, 'tenant-a.example')).status).toBe(200);
    expect((await send('tenant-a.example', 'Tenant-A.example:80', 'tenant-a.example')).status).toBe(200);
  });
});

/** Writes a request as it is (no client rewrites an absolute-form target) and reads the status line and body. */
function rawRequest(port: number, head: string[], body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1', () => void socket.end(`${head.join('\r\n')}\r\nConnection: close\r\n\r\n${body}`));
    let data = '';
    socket.setEncoding('utf8').on('data', (d: string) => (data += d));
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), text: data.slice(data.indexOf('\r\n\r\n') + 4) }));
    socket.on('error', reject);
  });
}

describe('absolute-form targets: a Host header that names another host is refused (Express and Koa read Host, the base string took the target)', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    const app = express();
    app.use(expressMiddleware(verifier()));
    app.get('/r', (req, res) => void res.json({ host: req.host }));
    let base: string;
    ({ server, base } = await listen(app));
    port = Number(new URL(base).port);
  });
  afterAll(() => close(server));

  const request = (target: string, host: string) => {
    const s = sign({ method: 'GET', url: target }, { client });
    return rawRequest(port, [`GET ${target} HTTP/1.1`, `Host: ${host}`, `Authorization: ${s.headers['Authorization']}`]);
  };

  it('"GET http://tenant-a.example/r" with "Host: tenant-b.example": 400', async () => {
    const r = await request('http://tenant-a.example/r', 'tenant-b.example');
    expect(r.status, r.text).toBe(400);
  });

  it('held: the same host (any case, the default port spelled out) is verified', async () => {
    expect((await request('http://tenant-a.example/r', 'Tenant-A.example:80')).status).toBe(200);
    expect((await request('http://tenant-a.example:8080/r', 'tenant-a.example:8080')).status).toBe(200);
  });
});

describe('held: variants that were already refused', () => {
  it('a form body on GET, HEAD, DELETE or OPTIONS is signed too: one added to a signed request is 401 (parser before and after)', async () => {
    for (const mode of ['before', 'after'] as const) {
      const app = express();
      if (mode === 'after') app.use(express.urlencoded({ extended: true, verify: keepRawBody }));
      app.use(expressMiddleware(verifier()));
      if (mode === 'before') app.use(express.urlencoded({ extended: true }));
      app.all('/r', (req, res) => void res.json({ body: req.body ?? null }));
      const { server, base } = await listen(app);
      try {
        for (const method of ['GET', 'HEAD', 'DELETE', 'OPTIONS']) {
          const s = sign({ method, url: `${base}/r` }, { client });
          const head = [`${method} /r HTTP/1.1`, `Host: ${new URL(base).host}`, `Authorization: ${s.headers['Authorization']}`, `Content-Type: ${FORM}`, 'Content-Length: 7'];
          const r = await rawRequest(Number(new URL(base).port), head, 'admin=1');
          expect([method, mode, r.status]).toEqual([method, mode, 401]);
        }
      } finally {
        await close(server);
      }
    }
  });

  it("Hono's methodOverride (header or _method field) cannot turn a verified POST into the DELETE it routes", async () => {
    const v = verifier();
    for (const override of ['header', 'form'] as const) {
      const app = new Hono();
      app.use('/api/*', honoMiddleware(v));
      app.use('/api/*', methodOverride(override === 'header' ? { app, header: 'X-HTTP-Method-Override' } : { app }));
      app.post('/api/x', (c) => c.text('post'));
      app.delete('/api/x', (c) => c.text('deleted'));
      const body = override === 'form' ? '_method=DELETE' : 'a=1';
      const s = sign({ method: 'POST', url: 'http://localhost/api/x', headers: { 'content-type': FORM }, body }, { client });
      const headers = { ...s.headers, ...(override === 'header' ? { 'x-http-method-override': 'DELETE' } : {}) };
      const res = await app.request(s.url, { method: 'POST', headers, body });
      expect([override, res.status, await res.text()]).toEqual([override, 401, expect.stringContaining('signature_invalid')]);
    }
  });
});
