/**
 * Regression tests for what the property-based tests (test/property/) found
 * beyond the review of issue 9. Each failed before its fix.
 */
import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendOAuthError, verifyNodeRequest } from '../src/adapters/node.js';
import { createVerifier, OAuthError, sign } from '../src/index.js';

describe('a Host the URL parser cannot read is a 400, not a 500 (robustness property)', () => {
  // Found through the node adapter: "%zz", a port above 65535 or a number too
  // large for IPv4 have the shape of a host, so the adapter built a URL from
  // them that the verifier could not parse; the TypeError became a 500 for
  // anyone who sends such a Host header, before any credential was looked at.
  const verifier = createVerifier({ lookupClient: () => ({ secret: 'cs' }), tokenRequired: false });
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      verifyNodeRequest(verifier, req).then(
        () => res.end('ok'),
        (err: unknown) => {
          if (!sendOAuthError(res, err)) {
            res.statusCode = 500;
            res.end(String(err));
          }
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = (host: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/x', headers: { host, authorization: 'OAuth oauth_consumer_key="k"' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it.each(['%zz', 'example.com:99999', '4294967296', 'a%'])('Host: %s', async (host) => {
    const answer = await send(host);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('oauth_problem=parameter_rejected');
  });

  it('a readable Host still reaches the OAuth checks', async () => {
    // (the request carries no signature: the answer is about that, not the Host)
    expect((await send('example.com:8080')).body).toContain('oauth_problem=parameter_absent');
  });
});

describe('a trusted proxy\'s host that the URL parser cannot read is ignored, not a 500 (robustness property)', () => {
  const clock = () => 1_700_000_000_000;
  // One verifier per test: each sends the same signed request (same nonce).
  const verifier = () => createVerifier({ lookupClient: () => ({ secret: 'cs' }), tokenRequired: false, trustProxy: true, clock });
  const signed = sign({ method: 'GET', url: 'http://internal:8080/r?a=1' }, { client: { key: 'ck', secret: 'cs' }, timestamp: 1_700_000_000 });

  it.each(['%zz', 'example.com:99999', '4294967296'])('X-Forwarded-Host: %s', async (host) => {
    const outcome = await verifier().verify({ ...signed, headers: { ...signed.headers, 'X-Forwarded-Host': host } }).then(
      () => 'accepted',
      (err: unknown) => err,
    );
    // Ignored (not trusted), so the request is checked against its own host, for which it was signed.
    expect(outcome).toBe('accepted');
  });

  it('a readable forwarded host is used (and this request was not signed for it)', async () => {
    const err = await verifier().verify({ ...signed, headers: { ...signed.headers, 'X-Forwarded-Host': 'api.example.com' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect((err as OAuthError).status).toBe(401);
  });
});
