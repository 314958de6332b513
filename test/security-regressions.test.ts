// Regressions for the findings of the first security review: each test fails
// on the code before its fix.
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, OAuthError, sign } from '../src/index.js';
import { oauthErrorResponse } from '../src/adapters/fetch.js';
import { sendOAuthError, verifyNodeRequest } from '../src/adapters/node.js';
import { needsBody } from '../src/adapters/contract.js';

const NOW = 1_700_000_000_000;
const client = { key: 'ck', secret: 'cs' };
const token = { key: 'tk', secret: 'ts' };
const verifier = (extra = {}) =>
  createVerifier({ lookupClient: (k) => (k === 'ck' ? { secret: 'cs' } : undefined), lookupToken: (t) => (t === 'tk' ? { secret: 'ts' } : undefined), clock: () => NOW, ...extra });

async function caught(p: Promise<unknown>): Promise<OAuthError> {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(OAuthError);
  return err as OAuthError;
}

describe('an attacker-chosen parameter name never breaks the error response', () => {
  it.each(['oauth_%0D%0Ax', 'oauth_%E2%82%AC', 'oauth_%22%5C'])('repeated %s gives a 400 whose headers are valid', async (name) => {
    const err = await caught(verifier().verify({ method: 'GET', url: `https://api.example/x?${name}=1&${name}=2` }));
    expect(err.status).toBe(400);
    expect(err.wwwAuthenticate).toMatch(/^[\x20-\x7e]+$/);
    expect(() => new Headers(err.headers)).not.toThrow();
    expect(oauthErrorResponse(err).status).toBe(400);
    expect(err.message).toMatch(/^[\x20-\x7e]+$/);
  });
  it('a non-ASCII realm is sent percent-encoded', async () => {
    const err = await caught(verifier({ realm: 'Café' }).verify({ method: 'GET', url: 'https://api.example/x' }));
    expect(() => new Headers(err.headers)).not.toThrow();
    expect(err.wwwAuthenticate).toContain('realm="Caf%C3%A9"');
  });
});

describe('the node adapter takes the scheme from the connection, not from an absolute-form target', () => {
  let server: Server;
  let port = 0;
  const plaintextVerifier = verifier({ signatureMethods: ['PLAINTEXT'] });
  beforeAll(async () => {
    server = createServer(async (req, res) => {
      try {
        await verifyNodeRequest(plaintextVerifier, req);
        res.end('accepted');
      } catch (err) {
        if (!sendOAuthError(res, err)) res.writeHead(500).end(String(err));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('PLAINTEXT sent over plain TCP with "GET https://…" is still refused', async () => {
    const target = `https://127.0.0.1:${port}/x`;
    const signed = sign({ method: 'GET', url: target }, { client, token, signatureMethod: 'PLAINTEXT' });
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: ${signed.headers['Authorization']}\r\nConnection: close\r\n\r\n`);
      });
      let data = '';
      socket.setEncoding('utf8').on('data', (d: string) => (data += d));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('signature_method_rejected');
  });
});

describe('adapters read the body whenever the verifier will check a body hash', () => {
  it('finds oauth_body_hash under any percent-encoding of its name', () => {
    const v = verifier();
    expect(needsBody(v, { authorization: 'OAuth %6Fauth_body_hash="x"' }, '/r')).toBe(true);
    expect(needsBody(v, {}, '/r?oauth%5Fbody%5Fhash=x')).toBe(true);
    expect(needsBody(v, { authorization: 'OAuth oauth_nonce="x"' }, '/r?a=1')).toBe(false);
  });
});

describe('limits are applied before the work they limit', () => {
  it('a form of a million "&"s is refused without being parsed into pairs', async () => {
    const body = 'a&'.repeat(500_000);
    const err = await caught(verifier().verify({ method: 'POST', url: 'https://api.example/x', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }));
    expect(err).toMatchObject({ status: 400, problem: 'parameter_rejected' });
    expect(err.message).toMatch(/more than 512 parameters/);
  });
});

describe('what is verified is a snapshot taken before the callbacks run', () => {
  it('a URL object changed by a lookup callback changes nothing', async () => {
    const s = sign({ method: 'GET', url: 'https://api.example/items?a=1' }, { client, token, timestamp: NOW / 1000 });
    const url = new URL(s.url);
    const v = createVerifier({
      lookupClient: () => {
        url.searchParams.set('a', '2');
        return { secret: 'cs' };
      },
      lookupToken: () => ({ secret: 'ts' }),
      clock: () => NOW,
    });
    await expect(v.verify({ method: 'GET', url, headers: s.headers })).resolves.toMatchObject({ url: 'https://api.example/items?a=1' });
  });
  it('bytes changed by a lookup callback do not change the body hash checked', async () => {
    const body = new TextEncoder().encode('{"amount":1}');
    const s = sign({ method: 'POST', url: 'https://api.example/pay', headers: { 'content-type': 'application/json' }, body }, { client, token, timestamp: NOW / 1000, bodyHash: true });
    const v = createVerifier({
      lookupClient: () => {
        body.set(new TextEncoder().encode('{"amount":9}'));
        return { secret: 'cs' };
      },
      lookupToken: () => ({ secret: 'ts' }),
      clock: () => NOW,
    });
    await expect(v.verify({ method: 'POST', url: s.url, headers: s.headers, body })).resolves.toBeTruthy();
  });
});
