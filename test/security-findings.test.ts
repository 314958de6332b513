// Regressions for the nine findings of the second security review (issue 9),
// one block per finding, through the real adapters on real servers where the
// finding is about what a server routes or parses. Each fails on the code
// before its fix.
import { connect } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import {
  createMemoryNonceStore,
  createProvider,
  createMemoryProviderStore,
  createLtiLaunchVerifier,
  createVerifier,
  OAuthError,
  sign,
  type ClientRecord,
  type NonceStore,
  type TokenRecord,
  type VerifierOptions,
  type VerifyDebugInfo,
} from '../src/index.js';
import { expressMiddleware } from '../src/adapters/express.js';
import { oauthErrorResponse, verifyFetchRequest } from '../src/adapters/fetch.js';
import type { AdapterVerifier } from '../src/adapters/contract.js';
import { NODE_SETUP, type RunningServer, type ServerFactory } from './adapters/servers.js';
import { expressSetup } from './adapters/servers-express.js';
import { fastifySetup } from './adapters/servers-fastify.js';
import { koaSetup } from './adapters/servers-koa.js';

const startNode = NODE_SETUP.start;
const startExpress = (parser: 'none') => expressSetup(5, parser, 'before').start;
const startFastify = fastifySetup(5, 'plugin').start;
const startKoa = koaSetup(2, 'none', 'before').start;

const NOW = 1_700_000_000_000;
const CK = { key: 'ck', secret: 'cs' };
const TK = { key: 'tk', secret: 'ts' };

function verifierWith(extra: Partial<VerifierOptions> = {}) {
  return createVerifier({
    lookupClient: (k) => (k === 'ck' ? { secret: 'cs' } : undefined),
    lookupToken: (t) => (t === 'tk' ? { secret: 'ts' } : undefined),
    clock: () => NOW,
    ...extra,
  });
}

async function refusal(p: Promise<unknown>): Promise<OAuthError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OAuthError);
  return err as OAuthError;
}

/** Sends bytes as they are (no client normalizes the path or merges headers) and reads the status and body. */
function raw(port: number, lines: string[], body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end(`${lines.join('\r\n')}\r\nHost: 127.0.0.1:${port}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
    let data = '';
    socket.setEncoding('utf8').on('data', (d: string) => (data += d));
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), text: data }));
    socket.on('error', reject);
  });
}

const portOf = (server: RunningServer): number => Number(new URL(server.base).port);

describe('finding 1: the signature covers the path the router sees', () => {
  const servers: RunningServer[] = [];
  const factories: Array<[string, ServerFactory]> = [
    ['node', startNode],
    ['express', startExpress('none')],
    ['fastify', startFastify],
    ['koa', startKoa],
  ];
  beforeAll(async () => {
    const v = createVerifier({ lookupClient: (k) => (k === 'ck' ? { secret: 'cs' } : undefined), lookupToken: (t) => (t === 'tk' ? { secret: 'ts' } : undefined) });
    for (const [, start] of factories) servers.push(await start(v as AdapterVerifier, { bodyLimit: 16 * 1024 }));
  });
  afterAll(async () => Promise.all(servers.map((s) => s.close())));

  const smuggled = ['/protected/admin/../public', '/protected/admin/%2e%2e/public', '/protected/admin/.%2E/public', '/protected/admin/x/../../public', '/protected/admin\\..\\public', '/protected/admin/%2E/../public', '/protected/admin%5c..%5cpublic'];

  it.each(factories.map(([name], i) => [name, i] as const))('%s: a link signed for /protected/public is refused (400) on every smuggled path', async (_name, i) => {
    const server = servers[i] as RunningServer;
    const port = portOf(server);
    const link = sign({ method: 'GET', url: `${server.base}/protected/public` }, { client: CK, token: TK, placement: 'query' });
    const query = new URL(link.url).search;
    // The honest request passes: the refusals below are about the path alone.
    expect((await raw(port, [`GET /protected/public${query} HTTP/1.1`])).status).toBe(200);
    for (const path of smuggled) {
      const answer = await raw(port, [`GET ${path}${query} HTTP/1.1`]);
      expect(answer.status, path).toBe(400);
      expect(answer.text, path).toContain('parameter_rejected');
    }
  });

  it('the verifier refuses ambiguous paths by default, and with allowAmbiguousPaths checks the path exactly as received', async () => {
    const signedFor = (url: string) => {
      const s = sign({ method: 'GET', url: 'https://api.example.com/public' }, { client: CK, token: TK, placement: 'query', timestamp: NOW / 1000 });
      return { method: 'GET', url: url + new URL(s.url).search };
    };
    const refused = await refusal(verifierWith().verify(signedFor('https://api.example.com/admin/../public')));
    expect(refused).toMatchObject({ status: 400, problem: 'parameter_rejected' });
    // Allowed: the base string then holds /admin/../public, which the client did not sign.
    const other = await refusal(verifierWith({ allowAmbiguousPaths: true }).verify(signedFor('https://api.example.com/admin/../public')));
    expect(other).toMatchObject({ status: 401, problem: 'signature_invalid' });
  });

  it('the signer sends exactly the path it signed', () => {
    const s = sign({ method: 'GET', url: 'https://api.example.com/admin/../public?a=1' }, { client: CK, token: TK, timestamp: NOW / 1000, nonce: 'n' });
    expect(new URL(s.url).pathname).toBe('/public');
    expect(s.url.startsWith('https://api.example.com/public?')).toBe(true);
    expect(s.baseString.startsWith('GET&https%3A%2F%2Fapi.example.com%2Fpublic&')).toBe(true);
  });
});

describe('finding 2: one Content-Type reading, agreeing with the frameworks', () => {
  const form = 'roles=Instructor&user_id=1';
  const listed = ['text/plain, application/x-www-form-urlencoded', 'text/plain, application/x-www-form-urlencoded,', 'text/plain,application/x-www-form-urlencoded, application/x-www-form-urlencoded'];

  it.each(listed)('the fetch adapter refuses an unsigned form behind "%s" (400)', async (contentType) => {
    const url = 'https://tool.example.com/launch';
    const s = sign({ method: 'POST', url, headers: { 'content-type': 'text/plain' }, body: form }, { client: CK, token: TK, timestamp: NOW / 1000 });
    const request = new Request(url, { method: 'POST', headers: { ...s.headers, 'content-type': contentType }, body: form });
    // What the application would read: the Fetch rules take the form.
    expect([...(await request.clone().formData()).keys()]).toEqual(['roles', 'user_id']);
    const err = await refusal(verifyFetchRequest(verifierWith(), request));
    expect(err).toMatchObject({ status: 400, problem: 'parameter_rejected' });
  });

  it('a Content-Type sent twice is refused through the node adapters (Node itself keeps only the first)', async () => {
    const server = await startExpress('none')(verifierWith() as AdapterVerifier, { bodyLimit: 16 * 1024 });
    try {
      const s = sign({ method: 'POST', url: `${server.base}/protected/r`, headers: { 'content-type': 'text/plain' }, body: form }, { client: CK, token: TK });
      const answer = await raw(
        portOf(server),
        ['POST /protected/r HTTP/1.1', `Authorization: ${s.headers['Authorization']}`, 'Content-Type: text/plain', 'Content-Type: application/x-www-form-urlencoded'],
        form,
      );
      expect(answer.status).toBe(400);
    } finally {
      await server.close();
    }
  });

  it('an LTI launch whose fields travel in a body that is not a form (so unsigned) is refused', async () => {
    const lti = createLtiLaunchVerifier({ lookupConsumer: (k) => (k === 'ck' ? { secret: 'cs' } : undefined), clock: () => NOW });
    const url = 'https://tool.example.com/launch';
    const s = sign({ method: 'POST', url }, { client: CK, timestamp: NOW / 1000 });
    const body = new FormData();
    body.set('lti_message_type', 'basic-lti-launch-request');
    body.set('roles', 'Administrator');
    const request = new Request(url, { method: 'POST', headers: s.headers, body });
    expect(await refusal(verifyFetchRequest(lti, request))).toMatchObject({ status: 400, problem: 'parameter_rejected' });
  });

  it('the same media type twice is unambiguous: read as that type', async () => {
    const url = 'https://api.example.com/r';
    const s = sign({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form }, { client: CK, token: TK, timestamp: NOW / 1000 });
    const request = new Request(url, { method: 'POST', headers: { ...s.headers, 'content-type': 'application/x-www-form-urlencoded, application/x-www-form-urlencoded' }, body: form });
    await expect(verifyFetchRequest(verifierWith(), request)).resolves.toMatchObject({ consumerKey: 'ck' });
  });
});

describe('finding 3: nonces cost bounded memory', () => {
  it('an oauth_nonce longer than limits.nonceLength (255) is refused with 400 before any lookup', async () => {
    let lookups = 0;
    const v = verifierWith({ lookupClient: () => (lookups++, { secret: 'cs' }) });
    const s = sign({ method: 'GET', url: 'https://api.example.com/r' }, { client: CK, token: TK, timestamp: NOW / 1000, nonce: 'n'.repeat(256) });
    const err = await refusal(v.verify({ method: 'GET', url: s.url, headers: s.headers }));
    expect(err).toMatchObject({ status: 400, problem: 'parameter_rejected', details: { parametersRejected: ['oauth_nonce'] } });
    expect(lookups).toBe(0);
    const ok = sign({ method: 'GET', url: 'https://api.example.com/r' }, { client: CK, token: TK, timestamp: NOW / 1000, nonce: 'n'.repeat(255) });
    await expect(v.verify({ method: 'GET', url: ok.url, headers: ok.headers })).resolves.toBeTruthy();
  });

  it('the memory store holds a key of any length in a fixed size, and is bounded in bytes', () => {
    const store = createMemoryNonceStore({ clock: () => NOW, maxBytes: 10_000 });
    expect(store.consume('k'.repeat(1_000_000), 60)).toBe(true);
    expect(store.consume('k'.repeat(1_000_000), 60)).toBe(false);
    expect(store.bytes).toBeLessThan(1_000);
    let accepted = 0;
    let refused: unknown;
    for (let i = 0; i < 1_000 && refused === undefined; i++) {
      try {
        store.consume(`key-${i}-${'x'.repeat(200)}`, 60);
        accepted++;
      } catch (err) {
        refused = err;
      }
    }
    expect(refused).toMatchObject({ status: 503, problem: 'temporarily_unavailable' });
    expect(store.bytes).toBeLessThanOrEqual(10_000);
    expect(accepted).toBeGreaterThan(10);
  });
});

describe('finding 4: proxy headers trusted the way proxies write them', () => {
  const plaintext = verifierWith({ signatureMethods: ['PLAINTEXT'], trustProxy: true });
  const signedPlaintext = (url: string) => sign({ method: 'GET', url }, { client: CK, token: TK, signatureMethod: 'PLAINTEXT', timestamp: NOW / 1000 });

  it('a client-supplied Forwarded: proto=https does not beat the proxy\'s X-Forwarded-Proto: http', async () => {
    const s = signedPlaintext('https://api.example.com/r');
    const err = await refusal(plaintext.verify({ method: 'GET', url: 'http://10.0.0.5/r', headers: { ...s.headers, forwarded: 'proto=https;host=api.example.com', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'api.example.com' } }));
    expect(err).toMatchObject({ status: 400, problem: 'signature_method_rejected' });
  });

  it('the first element of an appended X-Forwarded-Proto is the client\'s, not the proxy\'s', async () => {
    const s = signedPlaintext('https://api.example.com/r');
    const err = await refusal(plaintext.verify({ method: 'GET', url: 'http://10.0.0.5/r', headers: { ...s.headers, 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'api.example.com' } }));
    expect(err).toMatchObject({ status: 400, problem: 'signature_method_rejected' });
  });

  it('Forwarded: host=… is not read when the deployment names X-Forwarded-*', async () => {
    const s = sign({ method: 'GET', url: 'https://other-tenant.example/r' }, { client: CK, token: TK, timestamp: NOW / 1000 });
    const err = await refusal(verifierWith({ trustProxy: true }).verify({ method: 'GET', url: 'http://10.0.0.5/r', headers: { ...s.headers, forwarded: 'proto=https;host=other-tenant.example', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' } }));
    expect(err).toMatchObject({ status: 401, problem: 'signature_invalid' });
  });

  it('with proxy addresses, only hops from a trusted socket count (proxy-addr\'s walk)', async () => {
    const s = sign({ method: 'GET', url: 'https://api.example.com/r' }, { client: CK, token: TK, timestamp: NOW / 1000 });
    const v = verifierWith({ trustProxy: { addresses: ['10.0.0.0/8'] } });
    const headers = { ...s.headers, 'x-forwarded-for': '198.51.100.7', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' };
    await expect(v.verify({ method: 'GET', url: 'http://10.0.0.5/r', headers }, { remoteAddress: '10.0.0.2' })).resolves.toBeTruthy();
    // The same headers from a peer that is not a trusted proxy are the client's own words.
    const err = await refusal(v.verify({ method: 'GET', url: 'http://10.0.0.5/r', headers }, { remoteAddress: '198.51.100.7' }));
    expect(err).toMatchObject({ status: 401, problem: 'signature_invalid' });
  });

  it('an adapter can take the framework\'s own trust-proxy answer (Express trust proxy)', async () => {
    const app = express();
    app.set('trust proxy', 'loopback');
    const v = verifierWith({ clock: Date.now });
    app.get('/r', expressMiddleware(v, { trustFrameworkProxy: true }), (req, res) => {
      res.send(JSON.stringify({ url: (req as unknown as { oauth: { url: string } }).oauth.url }));
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const port = (server.address() as { port: number }).port;
      const s = sign({ method: 'GET', url: 'https://api.example.com/r' }, { client: CK, token: TK });
      const answer = await raw(port, ['GET /r HTTP/1.1', `Authorization: ${s.headers['Authorization']}`, 'X-Forwarded-Proto: https', 'X-Forwarded-Host: api.example.com']);
      expect(answer.status).toBe(200);
      expect(answer.text).toContain('https://api.example.com/r');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('finding 5: a record the verifier cannot use safely is refused with 401, never a 500', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const publicKey = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const cases: Array<[string, unknown, 'HMAC-SHA1' | 'RSA-SHA1']> = [
    ['an empty secret beside a public key', { publicKey, secret: '' }, 'HMAC-SHA1'],
    ['an empty secret alone', { secret: '' }, 'HMAC-SHA1'],
    ['signatureMethods as a string', { secret: '', signatureMethods: 'RSA-SHA1' }, 'HMAC-SHA1'],
    ['publicKey null', { publicKey: null }, 'RSA-SHA1'],
    ['a publicKey that is not a key', { publicKey: 'not a pem' }, 'RSA-SHA1'],
    ['a secret that is a number', { secret: 42 }, 'HMAC-SHA1'],
    ['a string instead of a record', 'cs', 'HMAC-SHA1'],
    ['an array instead of a record', ['cs'], 'HMAC-SHA1'],
  ];
  it.each(cases)('%s', async (_name, record, signatureMethod) => {
    const debug: VerifyDebugInfo[] = [];
    const v = createVerifier({ lookupClient: () => record as ClientRecord, tokenRequired: false, clock: () => NOW, onDebug: (i) => debug.push(i) });
    const s = sign({ method: 'GET', url: 'https://api.example.com/r' }, {
      client: { key: 'ck', secret: '', privateKey: rsa.privateKey },
      signatureMethod,
      timestamp: NOW / 1000,
    });
    const err = await refusal(v.verify({ method: 'GET', url: s.url, headers: s.headers }));
    expect(err).toMatchObject({ status: 401, problem: 'signature_invalid' });
    expect(debug.at(-1)?.ok).toBe(false);
  });

  it('tells onDebug that the data is wrong, and accepts an empty secret only when allowed', async () => {
    const debug: VerifyDebugInfo[] = [];
    const options = { lookupClient: () => ({ secret: '' }), tokenRequired: false, clock: () => NOW, onDebug: (i: VerifyDebugInfo) => debug.push(i) };
    const s = sign({ method: 'GET', url: 'https://api.example.com/r' }, { client: { key: 'ck', secret: '' }, timestamp: NOW / 1000 });
    await refusal(createVerifier(options).verify({ method: 'GET', url: s.url, headers: s.headers }));
    expect(debug.at(-1)?.configurationError).toMatch(/empty secret/);
    await expect(createVerifier({ ...options, allowEmptySecret: true }).verify({ method: 'GET', url: s.url, headers: s.headers })).resolves.toBeTruthy();
  });

  it.each<[string, unknown]>([
    ['a secret that is null', { secret: null }],
    ['a revoked flag that is a string', { secret: 'ts', revoked: 'yes' }],
    ['a clientKey that is a number', { secret: 'ts', clientKey: 7 }],
  ])('a token record with %s is refused with 401', async (_name, record) => {
    const v = verifierWith({ lookupToken: () => record as TokenRecord });
    const s = sign({ method: 'GET', url: 'https://api.example.com/r' }, { client: CK, token: TK, timestamp: NOW / 1000 });
    expect((await refusal(v.verify({ method: 'GET', url: s.url, headers: s.headers }))).status).toBe(401);
  });
});

describe('finding 6: before a valid signature, nothing tells which keys exist', () => {
  const world = () => {
    const calls: string[] = [];
    const v = createVerifier({
      lookupClient: (k) => (calls.push(`client:${k}`), k === 'ck' ? { secret: 'cs' } : k === 'limited' ? { secret: 'x', signatureMethods: ['HMAC-SHA256'] } : undefined),
      lookupToken: (t) => (calls.push(`token:${t}`), t === 'tk' ? { secret: 'ts' } : t === 'gone' ? { secret: 'g', revoked: true } : undefined),
      clock: () => NOW,
    });
    return { v, calls };
  };
  const unsigned = (client: string, token: string) => ({
    method: 'GET',
    url: 'https://api.example.com/r',
    headers: {
      authorization: `OAuth oauth_consumer_key="${client}", oauth_token="${token}", oauth_signature_method="HMAC-SHA1", oauth_timestamp="${NOW / 1000}", oauth_nonce="n-${client}-${token}", oauth_signature="AAAA"`,
    },
  });

  it('an unsigned request gets the same status, problem, message and headers, after the same number of lookups', async () => {
    const answers: string[] = [];
    const counts: number[] = [];
    for (const [client, token] of [['ck', 'tk'], ['nobody', 'tk'], ['ck', 'nope'], ['nobody', 'nope'], ['ck', 'gone'], ['limited', 'tk']] as const) {
      const { v, calls } = world();
      const err = await refusal(v.verify(unsigned(client, token)));
      answers.push(JSON.stringify([err.status, err.problem, err.message, err.headers, err.body]));
      counts.push(calls.length);
    }
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toContain('signature_invalid');
    expect(new Set(counts)).toEqual(new Set([2]));
  });

  it('the exact cause goes to onDebug, and detailedErrors opts in to telling the client', async () => {
    const debug: VerifyDebugInfo[] = [];
    const v = verifierWith({ onDebug: (i) => debug.push(i) });
    await refusal(v.verify(unsigned('nobody', 'tk')));
    expect(debug.at(-1)).toMatchObject({ problem: 'signature_invalid', cause: 'consumer_key_unknown' });
    const detailed = await refusal(verifierWith({ detailedErrors: true }).verify(unsigned('nobody', 'tk')));
    expect(detailed.problem).toBe('consumer_key_unknown');
  });

  it('a token the client did not receive is refused once its signature proves the secrets (token_rejected)', async () => {
    const v = verifierWith({ lookupToken: (t) => (t === 'tk' ? { secret: 'ts', clientKey: 'someone-else' } : undefined) });
    const s = sign({ method: 'GET', url: 'https://api.example.com/r' }, { client: CK, token: TK, timestamp: NOW / 1000 });
    expect(await refusal(v.verify({ method: 'GET', url: s.url, headers: s.headers }))).toMatchObject({ status: 401, problem: 'token_rejected' });
  });
});

describe('finding 7: no replay while the timestamp is inside the window (clock at millisecond resolution)', () => {
  it.each([
    ['the default memory store', undefined],
    ['a store with a clock of its own', 'own'],
  ])('%s: every replay is refused until the window closes', async (_name, kind) => {
    let now = 0;
    const store: NonceStore | undefined = kind === 'own' ? createMemoryNonceStore({ clock: () => now }) : undefined;
    const v = verifierWith({ clock: () => now, ...(store ? { nonceStore: store } : {}) });
    const ts = 1_700_000_000;
    const s = sign({ method: 'GET', url: 'https://api.example.com/r' }, { client: CK, token: TK, timestamp: ts, nonce: 'once' });
    const req = { method: 'GET', url: s.url, headers: s.headers };
    // First use at the earliest moment the timestamp is accepted: 300 s before it.
    now = (ts - 300) * 1000;
    await expect(v.verify(req)).resolves.toBeTruthy();
    const last = (ts + 300 + 1) * 1000 - 1;
    for (const t of [now + 1, now + 599_999, now + 600_000, now + 600_001, (ts + 300) * 1000, (ts + 300) * 1000 + 500, last - 1, last]) {
      now = t;
      const err = await refusal(v.verify(req));
      expect([err.problem, t]).toEqual(['nonce_used', t]);
    }
    now = last + 1;
    expect((await refusal(v.verify(req))).problem).toBe('timestamp_refused');
  });
});

describe('finding 8: https and loopback from the transport, never from the request target', () => {
  let server: ReturnType<typeof serve>;
  let port = 0;
  beforeAll(async () => {
    const v = verifierWith({ signatureMethods: ['PLAINTEXT'], clock: Date.now });
    const provider = createProvider({ lookupClient: (k) => (k === 'ck' ? { secret: 'cs' } : undefined), store: createMemoryProviderStore() });
    const app = new Hono();
    app.get('/r', async (c) => {
      try {
        await verifyFetchRequest(v, c.req.raw);
        return c.text('accepted');
      } catch (err) {
        if (err instanceof OAuthError) return oauthErrorResponse(err);
        throw err;
      }
    });
    app.post('/request_token', async (c) => {
      try {
        const answer = await provider.requestTemporaryCredentials((ver) => verifyFetchRequest(ver, c.req.raw));
        return c.body(answer.body, 200, answer.headers);
      } catch (err) {
        if (err instanceof OAuthError) return oauthErrorResponse(err);
        throw err;
      }
    });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
        port = info.port;
        resolve();
      });
    });
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('the fetch adapter on @hono/node-server: PLAINTEXT over plain TCP with "GET https://…" is refused', async () => {
    const target = `https://127.0.0.1:${port}/r`;
    const s = sign({ method: 'GET', url: target }, { client: CK, token: TK, signatureMethod: 'PLAINTEXT' });
    const answer = await raw(port, [`GET ${target} HTTP/1.1`, `Authorization: ${s.headers['Authorization']}`]);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('signature_method_rejected');
  });

  it('the provider does not issue credentials to "POST https://…" over plain TCP to a host that is not loopback', async () => {
    const target = `https://provider.example/request_token`;
    const s = sign({ method: 'POST', url: target }, { client: CK, callback: 'oob' });
    const answer = await raw(port, [`POST ${target} HTTP/1.1`, `Authorization: ${s.headers['Authorization']}`]);
    // The connection was plain http: the signature over https does not verify (401) — no credentials either way.
    expect([400, 401]).toContain(answer.status);
    expect(answer.text).not.toContain('oauth_token_secret');
  });
});

describe('finding 9: a store that cannot answer gives 503 with Retry-After through the adapters, never a hang or a 500', () => {
  it('a nonce store that throws: 503 through Express', async () => {
    const v = verifierWith({ clock: Date.now, nonceStore: { consume: () => Promise.reject(new Error('ECONNREFUSED')) } });
    const server = await startExpress('none')(v as AdapterVerifier, { bodyLimit: 1024 });
    try {
      const s = sign({ method: 'GET', url: `${server.base}/protected/r` }, { client: CK, token: TK });
      const res = await fetch(s.url, { headers: s.headers });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(await res.text()).toContain('temporarily_unavailable');
    } finally {
      await server.close();
    }
  });
});
