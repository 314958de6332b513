// Our client helpers complete the three-legged flow of RFC 5849 §2 against an
// independent provider: python3-oauthlib's RequestToken, Authorization and
// AccessToken endpoints (test/interop/oauthlib_provider.py) on loopback.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationUrl, createSignedFetch, OAuthError, requestTemporaryCredentials, requestTokenCredentials } from '../src/index.js';
import { oauthlibGate, startPythonServer, type OauthlibServer } from './helpers/python.js';

const SCRIPT = fileURLToPath(new URL('./interop/oauthlib_provider.py', import.meta.url));
const client = { key: 'interop-client-key-0001', secret: 'interop client secret' };
const gate = oauthlibGate();

describe.skipIf(gate.skip)(`three-legged flow against python3-oauthlib's provider endpoints (${gate.reason})`, () => {
  let provider: OauthlibServer;
  beforeAll(async () => {
    provider = await startPythonServer(SCRIPT);
  });
  afterAll(() => provider?.stop());

  for (const signatureMethod of ['HMAC-SHA1', 'HMAC-SHA256'] as const) {
    it(`completes with ${signatureMethod} and calls a protected resource`, async () => {
      const callback = 'http://127.0.0.1/callback';
      const temp = await requestTemporaryCredentials({ url: `${provider.url}/request_token`, client, callback, signatureMethod });
      expect(temp.callbackConfirmed).toBe(true);

      // The resource owner approves; oauthlib redirects to the callback with the verifier.
      const approval = await fetch(authorizationUrl(`${provider.url}/authorize`, temp.key), { redirect: 'manual' });
      expect(approval.status).toBe(302);
      const redirect = new URL(approval.headers.get('location')!);
      expect(`${redirect.origin}${redirect.pathname}`).toBe(callback);
      expect(redirect.searchParams.get('oauth_token')).toBe(temp.key);
      const verifier = redirect.searchParams.get('oauth_verifier')!;

      const token = await requestTokenCredentials({ url: `${provider.url}/access_token`, client, temporary: temp, verifier, signatureMethod });
      expect(token.key).not.toBe(temp.key);

      const api = createSignedFetch({ client, token, signatureMethod });
      expect((await api(`${provider.url}/resource?a=1&a=2&b=x+y`)).status).toBe(200);
      expect((await api(`${provider.url}/resource`, { method: 'POST', body: new URLSearchParams({ status: 'Hello Ladies + Gentlemen' }) })).status).toBe(200);

      // The temporary credentials were for one use only.
      const again = await requestTokenCredentials({ url: `${provider.url}/access_token`, client, temporary: temp, verifier, signatureMethod }).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(OAuthError);
      expect((again as OAuthError).status).toBe(401);
    });
  }

  it('is refused with the wrong verifier, as an OAuthError carrying the provider status', async () => {
    const temp = await requestTemporaryCredentials({ url: `${provider.url}/request_token`, client, callback: 'http://127.0.0.1/cb' });
    await fetch(authorizationUrl(`${provider.url}/authorize`, temp.key), { redirect: 'manual' });
    const err = await requestTokenCredentials({ url: `${provider.url}/access_token`, client, temporary: temp, verifier: 'not-the-verifier' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect((err as OAuthError).status).toBe(401);
  });

  it('is refused with a wrong client secret', async () => {
    const err = await requestTemporaryCredentials({ url: `${provider.url}/request_token`, client: { ...client, secret: 'guess' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect((err as OAuthError).status).toBe(401);
  });
});
