/**
 * oauth1/fetch: the shared HTTP suite on Hono served by @hono/node-server
 * (the adapter called by hand, as on Bun, Deno or Next.js), then the adapter
 * on hand-made `Request`s.
 */
import { describe, expect, it } from 'vitest';
import { sign } from '../../src/client/sign.js';
import { OAuthError } from '../../src/core/errors.js';
import { oauthErrorResponse, verifyFetchRequest } from '../../src/adapters/fetch.js';
import { CLIENT, FORM, TOKEN, defineHttpSuite, makeVerifier } from './http-suite.js';
import { HONO_FETCH_SETUP } from './servers.js';

defineHttpSuite(HONO_FETCH_SETUP);

describe('oauth1/fetch specifics', () => {
  const url = 'https://api.example.com/r?x=1';

  function signedRequest(body: string, contentType = FORM, bodyHash = false): Request {
    const s = sign({ method: 'POST', url, headers: { 'content-type': contentType }, body }, { client: CLIENT, token: TOKEN, bodyHash });
    return new Request(s.url, { method: 'POST', headers: s.headers, body: s.body as string });
  }

  it('reads a form from a clone: the request stays readable', async () => {
    const request = signedRequest('a=1');
    const oauth = await verifyFetchRequest(makeVerifier().verifier, request);
    expect(oauth.params).toContainEqual(['a', '1']);
    expect(oauth.url).toBe(url);
    expect(request.bodyUsed).toBe(false);
    expect(await request.text()).toBe('a=1');
  });

  it('leaves a body without a body hash unread, and uses options.body when given', async () => {
    const request = signedRequest('{"a":1}', 'application/json');
    await verifyFetchRequest(makeVerifier().verifier, request);
    const hashed = signedRequest('{"a":1}', 'application/json', true);
    const text = await hashed.text();
    const oauth = await verifyFetchRequest(makeVerifier().verifier, hashed, { body: text });
    expect(oauth.consumerKey).toBe(CLIENT.key);
  });

  it('reports a body already read (and not passed) as a TypeError', async () => {
    const request = signedRequest('a=1');
    await request.text();
    await expect(verifyFetchRequest(makeVerifier().verifier, request)).rejects.toThrow(TypeError);
  });

  it('answers 400 past the body limit, declared or streamed', async () => {
    const { verifier } = makeVerifier();
    const declared = signedRequest('a='.padEnd(100, 'x'));
    await expect(verifyFetchRequest(verifier, declared, { bodyLimit: 10 })).rejects.toMatchObject({ status: 400, problem: 'parameter_rejected' });
    const chunks = ['a=', 'x'.repeat(64), 'x'.repeat(64)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const streamed = new Request(url, { method: 'POST', headers: { 'content-type': FORM }, body: stream, duplex: 'half' } as RequestInit);
    await expect(verifyFetchRequest(verifier, streamed, { bodyLimit: 100 })).rejects.toMatchObject({ status: 400, problem: 'parameter_rejected' });
  });

  it('oauthErrorResponse carries status, WWW-Authenticate, no-store and the problem report', async () => {
    const res = oauthErrorResponse(new OAuthError(401, 'timestamp_refused', 'm', { realm: 'r', acceptableTimestamps: '1-2' }));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('OAuth realm="r", oauth_problem="timestamp_refused", oauth_acceptable_timestamps="1-2"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1-2');
  });
});
