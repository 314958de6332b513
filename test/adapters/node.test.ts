/**
 * oauth1/node on a real node:http server: the shared HTTP suite, then what
 * only this adapter does (body limit while streaming, Host handling, a body
 * passed in, a body already consumed).
 */
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sign } from '../../src/client/sign.js';
import { formatForm } from '../../src/core/encoding.js';
import { OAuthError } from '../../src/core/errors.js';
import { createVerifier } from '../../src/server/verifier/index.js';
import { sendOAuthError, verifyNodeRequest } from '../../src/adapters/node.js';
import { BODY_LIMIT, CLIENT, FORM, TOKEN, defineHttpSuite, makeVerifier } from './http-suite.js';
import { NODE_SETUP } from './servers.js';

defineHttpSuite(NODE_SETUP);

describe('oauth1/node specifics', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function listen(handler: (req: IncomingMessage) => Promise<unknown>): Promise<number> {
    server = createServer(async (req, res) => {
      try {
        res.end(JSON.stringify(await handler(req)));
      } catch (err) {
        if (!sendOAuthError(res, err)) {
          res.statusCode = 500;
          res.end(`${(err as { code?: string }).code ?? ''} ${(err as Error).message}`);
        }
      }
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  /** A raw request (node:http, so Host and the body can be anything). */
  function raw(port: number, opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string; keepOpen?: boolean }): Promise<{ status: number; body: string; headers: IncomingMessage['headers'] }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path ?? '/r', headers: opts.headers ?? {} }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          resolve({ status: res.statusCode!, body, headers: res.headers });
          req.destroy();
        });
      });
      req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
      if (opts.body !== undefined) req.write(opts.body);
      if (!opts.keepOpen) req.end();
    });
  }

  it('answers 400 for a declared body past the limit without waiting for the body', async () => {
    const { verifier } = makeVerifier();
    let verified = false;
    const port = await listen(async (req) => {
      await verifyNodeRequest(verifier, req, { bodyLimit: BODY_LIMIT });
      verified = true;
    });
    // 10 MiB announced, 1 KiB sent, the request left open: the answer must come anyway.
    const answer = await raw(port, {
      method: 'POST',
      headers: { 'content-type': FORM, 'content-length': String(10 * 1024 * 1024), authorization: 'OAuth oauth_consumer_key="x"' },
      body: 'a='.padEnd(1024, 'x'),
      keepOpen: true,
    });
    expect(answer.status).toBe(400);
    expect(new URLSearchParams(answer.body).get('oauth_problem')).toBe('parameter_rejected');
    expect(verified).toBe(false);
  });

  it('stops buffering a chunked body as soon as it passes the limit', async () => {
    const { verifier } = makeVerifier();
    const port = await listen((req) => verifyNodeRequest(verifier, req, { bodyLimit: 1024 }));
    const answer = await raw(port, {
      method: 'POST',
      headers: { 'content-type': FORM, 'transfer-encoding': 'chunked' },
      body: 'a='.padEnd(4096, 'x'),
      keepOpen: true,
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('oauth_problem=parameter_rejected');
  });

  it('answers 400 for a malformed Host header (never builds a URL from it)', async () => {
    const { verifier } = makeVerifier();
    const port = await listen((req) => verifyNodeRequest(verifier, req));
    const answer = await raw(port, { headers: { host: 'bad host/evil' } });
    expect(answer.status).toBe(400);
    expect(answer.headers['www-authenticate']).toContain('oauth_problem="parameter_rejected"');
  });

  it('uses options.body and leaves the stream alone', async () => {
    const { verifier } = makeVerifier();
    const port = await listen(async (req) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const oauth = await verifyNodeRequest(verifier, req, { body: text });
      return oauth.params;
    });
    const url = `http://127.0.0.1:${port}/r`;
    const s = sign({ method: 'POST', url, headers: { 'content-type': FORM }, body: formatForm([['k', 'v w']]) }, { client: CLIENT, token: TOKEN });
    const answer = await raw(port, { method: 'POST', headers: s.headers, body: s.body as string });
    expect(answer.status, answer.body).toBe(200);
    expect(JSON.parse(answer.body)).toContainEqual(['k', 'v w']);
  });

  it('puts the body it read back: the application reads every byte afterwards, even sent in pieces', async () => {
    const { verifier } = makeVerifier();
    const port = await listen(async (req) => {
      const oauth = await verifyNodeRequest(verifier, req);
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      return { params: oauth.params, body: Buffer.concat(chunks).toString('utf8') };
    });
    const form = formatForm([['k', 'v w'], ['long', 'x'.repeat(12_000)]]);
    const s = sign({ method: 'POST', url: `http://127.0.0.1:${port}/r`, headers: { 'content-type': FORM }, body: form }, { client: CLIENT, token: TOKEN });
    const answer = await raw(port, { method: 'POST', headers: { ...s.headers, 'transfer-encoding': 'chunked' }, body: s.body as string });
    expect(answer.status, answer.body.slice(0, 200)).toBe(200);
    const json = JSON.parse(answer.body) as { params: Array<[string, string]>; body: string };
    expect(json.params).toContainEqual(['k', 'v w']);
    expect(json.body).toBe(form);
  });

  it('reports a form body consumed elsewhere (without options.body) as a programming error, not an OAuth answer', async () => {
    const { verifier } = makeVerifier();
    const port = await listen(async (req) => {
      for await (const _ of req) void _;
      return verifyNodeRequest(verifier, req);
    });
    const url = `http://127.0.0.1:${port}/r`;
    const s = sign({ method: 'POST', url, headers: { 'content-type': FORM }, body: 'a=1' }, { client: CLIENT, token: TOKEN });
    const answer = await raw(port, { method: 'POST', headers: s.headers, body: s.body as string });
    expect(answer.status).toBe(500);
    expect(answer.body).toMatch(/^ERR_INVALID_STATE .*options\.body/);
  });

  it('builds an https URL on a TLS socket (so PLAINTEXT, refused over http, is accepted)', async () => {
    const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
    const { verifier } = makeVerifier();
    server = createHttpsServer({ key: fixture('rsa-private-pkcs8.pem'), cert: fixture('rsa-cert.pem') }, async (req, res) => {
      try {
        res.end(JSON.stringify(await verifyNodeRequest(verifier, req)));
      } catch (err) {
        if (!sendOAuthError(res, err)) throw err;
      }
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const s = sign({ method: 'GET', url: `https://127.0.0.1:${port}/r?x=1` }, { client: CLIENT, token: TOKEN, signatureMethod: 'PLAINTEXT' });
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port, path: '/r?x=1', headers: s.headers, rejectUnauthorized: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status, answer.body).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ url: `https://127.0.0.1:${port}/r?x=1`, signatureMethod: 'PLAINTEXT' });
  });

  it('leaves proxies to the verifier: X-Forwarded-* count only with trustProxy', async () => {
    const options = {
      lookupClient: () => ({ secret: CLIENT.secret }),
      lookupToken: () => ({ secret: TOKEN.secret }),
    };
    const trusting = createVerifier({ ...options, trustProxy: true });
    const plain = createVerifier(options);
    let which = trusting;
    const port = await listen((req) => verifyNodeRequest(which, req));
    // Signed for the public URL the proxy serves; sent to the backend with the proxy's headers.
    const publicUrl = 'https://api.example.com/r';
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' };
    const first = sign({ method: 'GET', url: publicUrl }, { client: CLIENT, token: TOKEN });
    const ok = await raw(port, { headers: { ...first.headers, ...forwarded } });
    expect(ok.status, ok.body).toBe(200);
    expect(JSON.parse(ok.body).url).toBe(publicUrl);
    which = plain;
    const second = sign({ method: 'GET', url: publicUrl }, { client: CLIENT, token: TOKEN });
    const refused = await raw(port, { headers: { ...second.headers, ...forwarded } });
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('oauth_problem=signature_invalid');
  });

  it('sendOAuthError sends nothing for other errors', () => {
    const res = { statusCode: 200, headers: {} as Record<string, string>, ended: false, setHeader(n: string, v: string) { this.headers[n] = v; }, end() { this.ended = true; } };
    expect(sendOAuthError(res, new Error('x'))).toBe(false);
    expect(res.ended).toBe(false);
    expect(sendOAuthError(res, new OAuthError(401, 'nonce_used', 'm', { realm: 'r' }))).toBe(true);
    expect(res.statusCode).toBe(401);
    expect(res.headers['WWW-Authenticate']).toBe('OAuth realm="r", oauth_problem="nonce_used"');
  });

  it('checks its arguments', async () => {
    await expect(verifyNodeRequest({} as never, {} as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"verifier" must be a verifier made by createVerifier()' });
    const { verifier } = makeVerifier();
    await expect(verifyNodeRequest(verifier, {} as never, { bodyLimit: 0 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: '"options.bodyLimit" must be a positive integer number of bytes, received 0' });
  });
});
