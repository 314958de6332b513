// Each provider profile against a stand-in that enforces that provider's
// documented rules (test/providers/stand-in.ts): the profile's options get
// through, and the mistakes the documentation warns about are refused.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  authorizationUrl,
  bodyHash,
  createSignedFetch,
  OAuthError,
  ProviderRefusal,
  requestTemporaryCredentials,
  requestTokenCredentials,
  sign,
} from '../src/index.js';
import {
  createProfile,
  discogs,
  etrade,
  flickr,
  garmin,
  jira,
  magento,
  mastercard,
  netsuite,
  netsuiteHostId,
  netsuiteRealm,
  parseMagentoActivation,
  providerIds,
  schoology,
  trello,
  woocommerce,
  x,
  type ProviderProfile,
} from '../src/profiles/providers/index.js';
import { approve, startStandIn, type Refusal, type StandIn, type StandInRequest } from './providers/stand-in.js';

const privateKey = readFileSync(new URL('./fixtures/rsa-private-pkcs8.pem', import.meta.url), 'utf8');
const publicKey = readFileSync(new URL('./fixtures/rsa-public-spki.pem', import.meta.url), 'utf8');
const hmacClient = { key: 'app-key', secret: 'app secret &/=' };

let open: StandIn[] = [];
async function stand(rules: Parameters<typeof startStandIn>[0]): Promise<StandIn> {
  const s = await startStandIn(rules);
  open.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(open.map((s) => s.close()));
  open = [];
});

function header(req: StandInRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The three legs with a profile's options, then one API call with its signed fetch. */
async function threeLegged(profile: ProviderProfile, s: StandIn, client: typeof hmacClient | { key: string; privateKey: string }, apiUrl: string, callback?: string) {
  const tempOpts = profile.temporaryCredentialsRequest(client, { fetch: s.fetch, ...(callback ? { callback } : {}) });
  const temp = await requestTemporaryCredentials(tempOpts);
  const page = await approve(s, profile.authorizationUrl(temp.key));
  expect(page.verifier, page.body).not.toBe('');
  const token = await requestTokenCredentials(profile.tokenCredentialsRequest(client, temp, page.verifier, { fetch: s.fetch }));
  const api = createSignedFetch(profile.signedFetchOptions({ client, token }, { fetch: s.fetch }));
  const res = await api(apiUrl);
  return { temp, page, token, res, body: await res.text() };
}

describe('the profile registry', () => {
  it('knows every profile by id and says which option is missing', () => {
    expect(providerIds).toEqual(['x', 'netsuite', 'woocommerce', 'magento', 'jira', 'garmin', 'trello', 'flickr', 'etrade', 'schoology', 'mastercard', 'discogs']);
    expect(createProfile('netsuite', { account: '1234567-sb1' }).realm).toBe('1234567_SB1');
    expect(() => createProfile('netsuite')).toThrow(/"options\.account" is required for the netsuite profile/);
    expect(() => createProfile('myspace')).toThrow(/not a known provider/);
    for (const id of providerIds) {
      const p = createProfile(id, { account: '1', baseUrl: 'http://shop.example', consumerKey: 'k' });
      expect(p.id).toBe(id);
      expect(p.sources.length).toBeGreaterThan(0);
      for (const src of p.sources) expect(src).toMatch(/^https?:\/\//);
      expect(p.signatureMethods).toContain(p.signatureMethod);
    }
  });
});

describe('X (Twitter)', () => {
  const rules = {
    name: 'X',
    signatureMethods: ['HMAC-SHA1' as const],
    clients: { [hmacClient.key]: { secret: hmacClient.secret } },
    paths: { temporary: { path: '/oauth/request_token', method: 'POST' as const }, authorize: '/oauth/authenticate', token: { path: '/oauth/access_token', method: 'POST' as const }, api: '/1.1/' },
    // "Authorizing a request": the protocol parameters go in the Authorization header.
    before: (req: StandInRequest): Refusal | undefined =>
      header(req, 'authorization')?.startsWith('OAuth ') ? undefined : { status: 400, problem: 'parameter_absent', message: 'X reads the OAuth parameters from the Authorization header' },
  };

  it('runs Sign in with X (oauth/authenticate) and calls the API', async () => {
    const s = await stand(rules);
    const profile = x({ authorizePage: 'authenticate', forceLogin: true });
    expect(profile.authorizationUrl('T')).toBe('https://api.x.com/oauth/authenticate?oauth_token=T&force_login=true');
    const run = await threeLegged(profile, s, hmacClient, 'https://api.x.com/1.1/account/verify_credentials.json?include_email=true', 'https://app.example/cb');
    expect(run.page.location?.href).toMatch(/^https:\/\/app\.example\/cb\?oauth_token=/);
    expect(run.res.status).toBe(200);
    expect(JSON.parse(run.body).params).toContainEqual(['include_email', 'true']);
    expect(s.log[0]!.verified!.url).toBe('https://api.x.com/oauth/request_token');
  });

  it('defaults to oauth/authorize, and puts x_auth_access_type on the request_token URL', () => {
    const p = x({ accessType: 'read', screenName: 'ada' });
    expect(p.endpoints.temporaryCredentials!.url).toBe('https://api.x.com/oauth/request_token?x_auth_access_type=read');
    expect(p.authorizationUrl('T')).toBe('https://api.x.com/oauth/authorize?oauth_token=T&screen_name=ada');
    expect(() => x({ authorizePage: 'login' as never })).toThrow(/authorizePage/);
  });

  it('refuses a request signed in the query (documented: Authorization header)', async () => {
    const s = await stand(rules);
    const token = s.issueToken();
    const api = createSignedFetch({ client: hmacClient, token, placement: 'query', fetch: s.fetch });
    await expect(api('https://api.x.com/1.1/statuses/home_timeline.json')).rejects.toMatchObject({ status: 400, problem: 'parameter_absent' });
    const kept = await createSignedFetch({ client: hmacClient, token, placement: 'query', fetch: s.fetch, throwOnRefusal: false })('https://api.x.com/1.1/statuses/home_timeline.json');
    expect(kept.status).toBe(400);
    const ok = createSignedFetch(x().signedFetchOptions({ client: hmacClient, token }, { fetch: s.fetch }));
    expect((await ok('https://api.x.com/1.1/statuses/home_timeline.json')).status).toBe(200);
  });

  it('OAuth Echo: a delegator replays X-Verify-Credentials-Authorization against X-Auth-Service-Provider', async () => {
    const s = await stand(rules);
    const token = s.issueToken();
    const echo = x().oauthEcho({ client: hmacClient, token });
    expect(echo['X-Auth-Service-Provider']).toBe('https://api.x.com/1.1/account/verify_credentials.json');
    expect(echo['X-Verify-Credentials-Authorization']).toMatch(/^OAuth oauth_consumer_key="app-key", oauth_token=/);
    // The delegator (a media host) trusts only X's verify_credentials URL and replays the header unchanged.
    const delegator = async (headers: Record<string, string>) => {
      const provider = headers['X-Auth-Service-Provider']!;
      if (!/^https:\/\/api\.x\.com\/1\.1\/account\/verify_credentials\.json/.test(provider)) return 403;
      return (await s.fetch(provider, { headers: { Authorization: headers['X-Verify-Credentials-Authorization']! } })).status;
    };
    expect(await delegator({ ...echo })).toBe(200);
    const replayed = await delegator({ ...echo });
    expect(replayed).toBe(401); // the same nonce twice
    const forged = { ...x().oauthEcho({ client: hmacClient, token }), 'X-Auth-Service-Provider': 'https://api.x.com/1.1/statuses/update.json' };
    expect(await delegator(forged)).toBe(403);
  });
});

describe('NetSuite TBA', () => {
  const account = '1234567_SB1';
  const host = '1234567-sb1';
  const netsuiteError = (r: Refusal) => ({
    status: r.status,
    headers: { 'content-type': 'application/vnd.oracle.resource+json; type=error' },
    body: JSON.stringify({
      type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2',
      title: 'Unauthorized',
      status: r.status,
      'o:errorDetails': [{ detail: 'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI.', 'o:errorCode': 'INVALID_LOGIN' }],
    }),
  });
  const rules = {
    name: 'NetSuite',
    signatureMethods: ['HMAC-SHA256' as const],
    clients: { [hmacClient.key]: { secret: hmacClient.secret } },
    paths: { api: '/' },
    format: netsuiteError,
    before: (req: StandInRequest): Refusal | undefined => {
      // Hosts spell the account in lower case with "-".
      if (!req.url.hostname.startsWith(`${host}.`)) return { status: 401, problem: 'consumer_key_rejected', message: `host ${req.url.hostname} is not account ${account}` };
      return undefined;
    },
    after: (_req: StandInRequest, v: { realm: string | undefined; nonce: string | undefined }): Refusal | undefined => {
      // The realm is the account id in upper case with "_", compared exactly.
      if (v.realm !== account) return { status: 401, problem: 'parameter_rejected', message: `realm ${v.realm ?? '(none)'} is not ${account}` };
      if ((v.nonce ?? '').length < 6) return { status: 401, problem: 'parameter_rejected', message: 'nonce shorter than six characters' };
      return undefined;
    },
  };

  it('spells the account both ways, whichever spelling it is given', () => {
    for (const given of ['1234567_SB1', '1234567-sb1', '1234567_sb1', ' 1234567-SB1 ']) {
      expect(netsuiteRealm(given)).toBe('1234567_SB1');
      expect(netsuiteHostId(given)).toBe('1234567-sb1');
    }
    expect(netsuiteRealm('tstdrv123456')).toBe('TSTDRV123456');
    const ns = netsuite({ account: '1234567-sb1' });
    expect(ns.restUrl('/record/v1/customer/42')).toBe('https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer/42');
    expect(ns.restletUrl(508, 1)).toBe('https://1234567-sb1.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=508&deploy=1');
    expect(() => netsuite({ account: '1234567.sb1' })).toThrow(/NetSuite account id/);
  });

  it('REST web services and a RESTlet with a JSON body: accepted', async () => {
    const s = await stand(rules);
    const token = s.issueToken();
    const ns = netsuite({ account });
    const api = createSignedFetch(ns.signedFetchOptions({ client: hmacClient, token }, { fetch: s.fetch }));
    const rest = await api(ns.restUrl('record/v1/customer/42?expandSubResources=true'));
    expect(rest.status, await rest.clone().text()).toBe(200);
    expect((await rest.json()).params).toContainEqual(['expandSubResources', 'true']);
    const restlet = await api(ns.restletUrl(508, 1), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":"b=c&d"}' });
    expect(restlet.status).toBe(200);
    const seen = s.log.at(-1)!.verified!;
    expect(seen.signatureMethod).toBe('HMAC-SHA256');
    expect(seen.params.map(([n]) => n).sort()).toEqual(['deploy', 'oauth_consumer_key', 'oauth_nonce', 'oauth_signature_method', 'oauth_timestamp', 'oauth_token', 'oauth_version', 'script']);
  });

  it('refuses the realm in the host spelling, and HMAC-SHA1', async () => {
    const s = await stand(rules);
    const token = s.issueToken();
    const url = netsuite({ account }).restUrl('record/v1/customer/42');
    const wrongRealm = createSignedFetch({ client: hmacClient, token, signatureMethod: 'HMAC-SHA256', realm: host, fetch: s.fetch });
    const err = await wrongRealm(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderRefusal);
    expect(err).toMatchObject({ status: 401, step: `GET ${url}` });
    // NetSuite answers JSON: the error quotes its start, in one line.
    expect((err as ProviderRefusal).message).toMatch(/^the provider refused the GET https:\/\/1234567-sb1\.suitetalk\.api\.netsuite\.com\/services\/rest\/record\/v1\/customer\/42 with 401; the answer begins: \{"type":.*Invalid login attempt/);
    expect((err as ProviderRefusal).message).not.toContain('\n');
    expect(s.log.at(-1)!.refusal!.message).toMatch(/realm 1234567-sb1 is not 1234567_SB1/);
    const sha1 = createSignedFetch({ client: hmacClient, token, realm: account, fetch: s.fetch });
    // A 400 without oauth_problem (NetSuite answers JSON) is an API answer, returned as it is.
    expect((await sha1(url)).status).toBe(400);
    expect(s.log.at(-1)!.refusal!.problem).toBe('signature_method_rejected');
    expect(() => netsuite({ account }).signOptions({ client: hmacClient, token }, { signatureMethod: 'HMAC-SHA1' })).toThrow(/"HMAC-SHA1" is not accepted by NetSuite/);
  });

  it("the profile's fetch refuses a URL whose host uses the realm spelling, before sending it", async () => {
    const s = await stand(rules);
    const ns = netsuite({ account });
    const api = createSignedFetch(ns.signedFetchOptions({ client: hmacClient, token: s.issueToken() }, { fetch: s.fetch }));
    await expect(api('https://1234567_sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer/42')).rejects.toThrow(/spells the account as the realm does/);
    await expect(api('https://7654321.suitetalk.api.netsuite.com/services/rest/x')).rejects.toThrow(/is for account "7654321"/);
    expect(s.log).toHaveLength(0);
  });

  it('the three-step TBA flow goes to the account host', async () => {
    const s = await stand({ ...rules, paths: { temporary: { path: '/rest/requesttoken', method: 'POST' }, authorize: '/app/login/secure/authorizetoken.nl', token: { path: '/rest/accesstoken', method: 'POST' }, api: '/services/' } });
    const ns = netsuite({ account });
    const run = await threeLegged(ns, s, hmacClient, ns.restUrl('record/v1/employee/40'), 'https://app.example/ns');
    expect(run.res.status).toBe(200);
    expect(s.log[0]!.req.url.host).toBe('1234567-sb1.restlets.api.netsuite.com');
  });
});

describe('WooCommerce', () => {
  const wcError = (r: Refusal) => ({
    status: r.status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: 'woocommerce_rest_authentication_error', message: r.message, data: { status: r.status } }),
  });
  const rules = {
    name: 'WooCommerce',
    signatureMethods: ['HMAC-SHA1' as const, 'HMAC-SHA256' as const],
    clients: { ck_test: { secret: 'cs_test' } },
    paths: { api: '/wp-json/' },
    tokenRequired: false,
    timestampWindow: { past: 900, future: 900 },
    format: wcError,
    before: (req: StandInRequest): Refusal | undefined => {
      if (req.url.protocol === 'https:') {
        // Over https: HTTP Basic (or the keys in the query).
        const auth = header(req, 'authorization') ?? '';
        const basic = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : `${req.url.searchParams.get('consumer_key')}:${req.url.searchParams.get('consumer_secret')}`;
        return basic === 'ck_test:cs_test' ? { status: 299, problem: 'ok', message: 'basic' } : { status: 401, problem: 'consumer_key_unknown', message: 'Consumer key is invalid.' };
      }
      return undefined;
    },
    after: (_req: StandInRequest, v: { tokenKey: string | undefined }): Refusal | undefined =>
      v.tokenKey ? { status: 401, problem: 'token_rejected', message: 'WooCommerce keys sign without a token' } : undefined,
  };

  it('http store: one-legged OAuth in the query, HMAC-SHA256, no token, no oauth_version', async () => {
    const s = await stand(rules);
    const shop = woocommerce({ storeUrl: 'http://shop.example' });
    expect(shop.authentication).toBe('oauth');
    const api = shop.createFetch({ key: 'ck_test', secret: 'cs_test' }, { fetch: s.fetch });
    const res = await api(shop.apiUrl('orders?status=completed&per_page=5'));
    expect(res.status, await res.clone().text()).toBe(200);
    const seen = s.log.at(-1)!;
    expect(seen.req.url.searchParams.get('oauth_signature_method')).toBe('HMAC-SHA256');
    expect(seen.req.url.searchParams.has('oauth_version')).toBe(false);
    expect(header(seen.req, 'authorization')).toBeUndefined();
    expect(seen.verified!.params).toContainEqual(['per_page', '5']);
  });

  it('https store: HTTP Basic, never OAuth signing and never a secret over http', async () => {
    const s = await stand(rules);
    const shop = woocommerce({ storeUrl: 'https://shop.example/' });
    expect(shop.authentication).toBe('basic');
    const api = shop.createFetch({ key: 'ck_test', secret: 'cs_test' }, { fetch: s.fetch });
    await api(shop.apiUrl('products'));
    expect(s.log.at(-1)!.refusal).toMatchObject({ status: 299, message: 'basic' });
    expect(() => woocommerce({ storeUrl: 'http://shop.example' }).basicAuthorization({ key: 'a', secret: 'b' })).toThrow(/in clear/);
  });

  it('refuses a token, the www. mismatch, and RSA', async () => {
    const s = await stand(rules);
    const shop = woocommerce({ storeUrl: 'http://shop.example' });
    expect(() => shop.signOptions({ client: { key: 'ck_test', secret: 'cs_test' }, token: { key: 't', secret: 's' } })).toThrow(/client credentials only/);
    const api = createSignedFetch(shop.signedFetchOptions({ client: { key: 'ck_test', secret: 'cs_test' } }, { fetch: s.fetch }));
    await expect(api('http://www.shop.example/wp-json/wc/v3/orders')).rejects.toThrow(/by "www\."/);
    expect(() => woocommerce({ storeUrl: 'http://shop.example', signatureMethod: 'RSA-SHA1' as never })).toThrow(/not accepted by WooCommerce/);
    // A request signed with a token, sent anyway, is refused by the stand-in.
    const withToken = createSignedFetch({ client: { key: 'ck_test', secret: 'cs_test' }, token: s.issueToken(), placement: 'query', fetch: s.fetch });
    const refused = await withToken('http://shop.example/wp-json/wc/v3/orders').catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 401, answer: { bodyStart: expect.stringContaining('woocommerce_rest_authentication_error') } });
    expect((refused as Error).message).not.toContain('cs_test');
  });
});

describe('Magento 2 integrations', () => {
  const rules = {
    name: 'Magento',
    signatureMethods: ['HMAC-SHA256' as const],
    clients: { [hmacClient.key]: { secret: hmacClient.secret } },
    paths: { temporary: { path: '/oauth/token/request', method: 'POST' as const }, token: { path: '/oauth/token/access', method: 'POST' as const }, api: '/rest/' },
    confirmsCallback: false,
    after: (_req: StandInRequest, v: { oauthParams: ReadonlyArray<readonly [string, string]> }): Refusal | undefined => {
      const version = new Map(v.oauthParams).get('oauth_version');
      return version !== undefined && version !== '1.0' ? { status: 400, problem: 'version_rejected', message: `The "${version}" Oauth version isn't supported.` } : undefined;
    },
  };

  it('activation, request token, access token with the activation verifier, API call', async () => {
    const s = await stand({ ...rules, paths: { ...rules.paths, authorize: '/activation-only' } });
    // What Magento posts to the Callback URL; the verifier is the one its authorize step hands out.
    const store = magento({ baseUrl: 'https://store.example/' });
    const temp = await requestTemporaryCredentials(store.temporaryCredentialsRequest(hmacClient, { fetch: s.fetch }));
    const issued = await approve(s, authorizationUrl('https://store.example/activation-only', temp.key, { oauth_callback: 'oob' }));
    const activation = parseMagentoActivation(new URLSearchParams({ store_base_url: 'https://store.example/', oauth_verifier: issued.verifier, oauth_consumer_key: hmacClient.key, oauth_consumer_secret: hmacClient.secret }).toString());
    expect(activation.client).toEqual(hmacClient);
    const token = await requestTokenCredentials(store.tokenCredentialsRequest(activation.client, temp, activation.verifier, { fetch: s.fetch }));
    const api = createSignedFetch(store.signedFetchOptions({ client: activation.client, token }, { fetch: s.fetch }));
    const res = await api(store.apiUrl('V1/products/24-MB01'));
    expect(res.status).toBe(200);
    expect(s.log.every((e) => !e.verified || e.verified.signatureMethod === 'HMAC-SHA256')).toBe(true);
    expect(() => store.authorizationUrl('x')).toThrow(/no resource-owner authorization page/);
  });

  it('refuses HMAC-SHA1 on a current store, and reads a broken activation as a TypeError', async () => {
    const s = await stand(rules);
    const old = magento({ baseUrl: 'https://store.example', signatureMethod: 'HMAC-SHA1' });
    await expect(requestTemporaryCredentials(old.temporaryCredentialsRequest(hmacClient, { fetch: s.fetch }))).rejects.toMatchObject({ status: 400, problem: 'signature_method_rejected' });
    expect(() => parseMagentoActivation('store_base_url=https%3A%2F%2Fs.example&oauth_verifier=v&oauth_consumer_key=k')).toThrow(/oauth_consumer_secret" is missing/);
  });
});

describe('Jira Server (RSA-SHA1, three-legged)', () => {
  const jiraRefusal = (r: Refusal, _req: StandInRequest, debug: { baseString?: string }) => ({
    status: r.status,
    headers: { 'content-type': 'text/plain', 'www-authenticate': `OAuth realm="https%3A%2F%2Fjira.example.com", oauth_problem="${r.problem}"` },
    body:
      r.problem === 'signature_invalid' && debug.baseString
        ? `oauth_problem=signature_invalid&oauth_signature=x&oauth_signature_base_string=${encodeURIComponent(debug.baseString)}&oauth_signature_method=RSA-SHA1`
        : `oauth_problem=${r.problem}`,
  });
  const rules = {
    name: 'Jira',
    signatureMethods: ['RSA-SHA1' as const],
    clients: { 'jira-app': { publicKey } },
    paths: { temporary: { path: '/jira/plugins/servlet/oauth/request-token', method: 'POST' as const }, authorize: '/jira/plugins/servlet/oauth/authorize', token: { path: '/jira/plugins/servlet/oauth/access-token', method: 'POST' as const }, api: '/jira/rest/' },
    format: jiraRefusal,
  };

  it('runs the dance with a context path and calls the REST API', async () => {
    const s = await stand(rules);
    const j = jira({ baseUrl: 'https://jira.example.com/jira/' });
    const run = await threeLegged(j, s, { key: 'jira-app', privateKey }, 'https://jira.example.com/jira/rest/api/2/myself', 'https://app.example/jira');
    expect(run.res.status).toBe(200);
    expect(s.log.filter((e) => e.verified).every((e) => e.verified!.signatureMethod === 'RSA-SHA1')).toBe(true);
  });

  it('answers a wrong key the way Jira does: signature_invalid with its base string', async () => {
    const s = await stand(rules);
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const j = jira({ baseUrl: 'https://jira.example.com/jira' });
    const res = await s.fetch(j.endpoints.temporaryCredentials!.url, {
      method: 'POST',
      headers: sign({ method: 'POST', url: j.endpoints.temporaryCredentials!.url }, { ...j.signOptions({ client: { key: 'jira-app', privateKey: other } }), callback: 'oob' }).headers,
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/^oauth_problem=signature_invalid&oauth_signature=x&oauth_signature_base_string=POST%26https%253A%252F%252Fjira\.example\.com%252Fjira%252Fplugins/);
    // Through the flow helper: Jira's base string equals ours, so the error says the key is wrong.
    const err = await requestTemporaryCredentials(j.temporaryCredentialsRequest({ key: 'jira-app', privateKey: other }, { fetch: s.fetch })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderRefusal);
    expect((err as ProviderRefusal).comparison?.identical).toBe(true);
    expect((err as ProviderRefusal).message).toMatch(/with 401 \(signature_invalid\); its base string equals ours, so the keys differ/);
    expect((err as ProviderRefusal).message).not.toContain('BEGIN');
  });
});

describe('Garmin, Trello, Flickr: authorize-page parameters', () => {
  const base = { signatureMethods: ['HMAC-SHA1' as const], clients: { [hmacClient.key]: { secret: hmacClient.secret } } };

  it('Garmin: oauthConfirm takes the callback in its own query', async () => {
    const s = await stand({ ...base, name: 'Garmin', paths: { temporary: { path: '/oauth-service/oauth/request_token', method: 'POST' }, authorize: '/oauthConfirm', token: { path: '/oauth-service/oauth/access_token', method: 'POST' }, api: '/wellness-api/' } });
    const g = garmin({ callback: 'https://app.example/garmin' });
    expect(g.authorizationUrl('T')).toBe('https://connect.garmin.com/oauthConfirm?oauth_token=T&oauth_callback=https%3A%2F%2Fapp.example%2Fgarmin');
    const run = await threeLegged(g, s, hmacClient, 'https://apis.garmin.com/wellness-api/rest/dailies?uploadStartTimeInSeconds=1&uploadEndTimeInSeconds=2');
    expect(run.page.location?.origin).toBe('https://app.example');
    expect(run.res.status).toBe(200);
  });

  it('Trello: name, scope and expiration reach the authorize page, and bad values are refused', async () => {
    const s = await stand({
      ...base,
      name: 'Trello',
      paths: { temporary: { path: '/1/OAuthGetRequestToken', method: 'POST' }, authorize: '/1/OAuthAuthorizeToken', token: { path: '/1/OAuthGetAccessToken', method: 'POST' }, api: '/1/members/' },
      authorize: (q) => {
        if (!q.get('name')) return { status: 400, problem: 'parameter_absent', message: 'Let An unknown application use your account?' };
        if (!(q.get('scope') ?? '').split(',').every((v) => ['read', 'write', 'account'].includes(v))) return { status: 400, problem: 'parameter_rejected', message: 'invalid scope' };
        if (!['1hour', '1day', '30days', 'never'].includes(q.get('expiration') ?? '')) return { status: 400, problem: 'parameter_rejected', message: 'invalid expiration' };
        return undefined;
      },
    });
    const t = trello({ name: 'Board Sync', scope: ['read', 'write', 'read'], expiration: 'never' });
    expect(new URL(t.authorizationUrl('T')).search).toBe('?oauth_token=T&name=Board%20Sync&scope=read%2Cwrite&expiration=never');
    const run = await threeLegged(t, s, hmacClient, 'https://trello.com/1/members/me');
    expect(run.res.status).toBe(200);
    expect((await approve(s, authorizationUrl('https://trello.com/1/OAuthAuthorizeToken', 'T', { scope: 'read' }))).status).toBe(400);
    expect(() => trello({ name: 'x', scope: ['admin' as never] })).toThrow(/not a Trello scope/);
    expect(() => trello({ name: 'x', expiration: '1year' as never })).toThrow(/expiration/);
  });

  it('Flickr: perms is required by the authorize page', async () => {
    const s = await stand({
      ...base,
      name: 'Flickr',
      paths: { temporary: { path: '/services/oauth/request_token', method: 'POST' }, authorize: '/services/oauth/authorize', token: { path: '/services/oauth/access_token', method: 'POST' }, api: '/services/rest' },
      authorize: (q) => (['read', 'write', 'delete'].includes(q.get('perms') ?? '') ? undefined : { status: 400, problem: 'permission_unknown', message: "Oops! Flickr doesn't recognise the permission set." }),
    });
    const f = flickr({ perms: 'write' });
    const run = await threeLegged(f, s, hmacClient, 'https://www.flickr.com/services/rest?method=flickr.test.login&format=json');
    expect(run.res.status).toBe(200);
    expect((await approve(s, authorizationUrl('https://www.flickr.com/services/oauth/authorize', 'T'))).body).toMatch(/permission_unknown/);
  });
});

describe('E*TRADE', () => {
  const rules = {
    name: 'E*TRADE',
    signatureMethods: ['HMAC-SHA1' as const],
    clients: { 'et-key': { secret: 'et secret' } },
    paths: { temporary: { path: '/oauth/request_token', method: 'GET' as const }, authorize: '/e/t/etws/authorize', token: { path: '/oauth/access_token', method: 'GET' as const }, api: '/v1/' },
    after: (_req: StandInRequest, v: { oauthParams: ReadonlyArray<readonly [string, string]> }, endpoint: string): Refusal | undefined => {
      const cb = new Map(v.oauthParams).get('oauth_callback');
      return endpoint === 'temporary' && cb !== 'oob' ? { status: 400, problem: 'parameter_rejected', message: "oauth_callback must always be 'oob'" } : undefined;
    },
    // The page takes key and token; the stand-in maps token to its own lookup.
    authorize: (q: URLSearchParams): Refusal | undefined => {
      if (q.get('key') !== 'et-key') return { status: 400, problem: 'parameter_absent', message: 'key (the consumer key) is required' };
      if (!q.get('token')) return { status: 400, problem: 'parameter_absent', message: 'token is required' };
      q.set('oauth_token', q.get('token')!);
      return undefined;
    },
  };
  const client = { key: 'et-key', secret: 'et secret' };

  it('GET endpoints, oob, and an authorize URL with key= and token=', async () => {
    const s = await stand(rules);
    const et = etrade({ consumerKey: client.key });
    const temp = await requestTemporaryCredentials(et.temporaryCredentialsRequest(client, { fetch: s.fetch }));
    const url = et.authorizationUrl(temp.key);
    expect(url).toBe(`https://us.etrade.com/e/t/etws/authorize?key=et-key&token=${temp.key}`);
    const page = await approve(s, url);
    expect(page.status).toBe(200); // out of band: the user copies the code
    const token = await requestTokenCredentials(et.tokenCredentialsRequest(client, temp, page.verifier, { fetch: s.fetch }));
    const api = createSignedFetch(et.signedFetchOptions({ client, token }, { fetch: s.fetch }));
    expect((await api('https://api.etrade.com/v1/accounts/list')).status).toBe(200);
    expect(s.log.slice(0, 3).map((e) => e.req.method)).toEqual(['GET', 'GET', 'GET']);
  });

  it('refuses oauth_token= on the authorize page, a callback URL, and POST', async () => {
    const s = await stand(rules);
    const et = etrade({ consumerKey: client.key });
    const temp = await requestTemporaryCredentials(et.temporaryCredentialsRequest(client, { fetch: s.fetch }));
    expect((await approve(s, authorizationUrl('https://us.etrade.com/e/t/etws/authorize', temp.key))).status).toBe(400);
    expect(() => et.temporaryCredentialsRequest(client, { callback: 'https://app.example/cb' })).toThrow(/accepts only "oob"/);
    await expect(requestTemporaryCredentials({ ...et.temporaryCredentialsRequest(client, { fetch: s.fetch }), method: 'POST' })).rejects.toMatchObject({ status: 405 });
    await expect(requestTemporaryCredentials({ url: 'https://api.etrade.com/oauth/request_token', client, method: 'GET', callback: 'https://app.example/cb', fetch: s.fetch })).rejects.toMatchObject({ status: 400 });
  });
});

describe('Schoology (two-legged, empty oauth_token)', () => {
  const rules = {
    name: 'Schoology',
    signatureMethods: ['HMAC-SHA1' as const, 'PLAINTEXT' as const],
    clients: { [hmacClient.key]: { secret: hmacClient.secret } },
    paths: { api: '/v1/' },
    tokenRequired: false,
    before: (req: StandInRequest): Refusal | undefined =>
      /oauth_token="/.test(header(req, 'authorization') ?? '') ? undefined : { status: 401, problem: 'parameter_absent', message: 'oauth_token must be defined, even empty' },
  };

  it('two-legged requests carry oauth_token="" and the realm, with HMAC-SHA1 and PLAINTEXT', async () => {
    const s = await stand(rules);
    for (const signatureMethod of ['HMAC-SHA1', 'PLAINTEXT'] as const) {
      const api = createSignedFetch(schoology({ signatureMethod }).signedFetchOptions({ client: hmacClient }, { fetch: s.fetch }));
      const res = await api('https://api.schoology.com/v1/users/me?start=0&limit=20');
      expect(res.status, await res.clone().text()).toBe(200);
      expect(header(s.log.at(-1)!.req, 'authorization')).toMatch(/^OAuth realm="Schoology API", oauth_consumer_key="app-key", oauth_token="", /);
    }
    // Without the profile, oauth_token is left out and the stand-in refuses.
    const bare = createSignedFetch({ client: hmacClient, fetch: s.fetch });
    await expect(bare('https://api.schoology.com/v1/users/me')).rejects.toMatchObject({ status: 401, problem: 'parameter_absent' });
  });

  it("sends the user to their own site's authorize page", () => {
    expect(schoology({ site: 'https://district.schoology.com/home' }).authorizationUrl('T')).toBe('https://district.schoology.com/oauth/authorize?oauth_token=T');
  });
});

describe('Mastercard (RSA-SHA256, body hash on every request)', () => {
  const mcError = (r: Refusal) => ({
    status: r.status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ Errors: { Error: [{ Source: 'OAuth', ReasonCode: r.problem.toUpperCase(), Description: r.message, Recoverable: false }] } }),
  });
  const rules = {
    name: 'Mastercard',
    signatureMethods: ['RSA-SHA256' as const],
    clients: { 'mc-consumer': { publicKey } },
    paths: { api: '/' },
    tokenRequired: false,
    requireBodyHash: true,
    format: mcError,
  };
  const client = { key: 'mc-consumer', privateKey };

  it('GET (hash of the empty string) and a JSON POST are accepted', async () => {
    const s = await stand(rules);
    const api = createSignedFetch(mastercard({ sandbox: true }).signedFetchOptions({ client }, { fetch: s.fetch }));
    expect((await api('https://sandbox.api.mastercard.com/atms/v1/atm?PageLength=10')).status).toBe(200);
    const get = new Map(s.log.at(-1)!.verified!.oauthParams);
    expect(get.get('oauth_body_hash')).toBe(bodyHash('', 'SHA-256'));
    expect(get.get('oauth_signature_method')).toBe('RSA-SHA256');
    const body = JSON.stringify({ amount: '10.00', currency: 'EUR' });
    expect((await api('https://sandbox.api.mastercard.com/send/v1/partners/p/transfers', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(200);
    expect(new Map(s.log.at(-1)!.verified!.oauthParams).get('oauth_body_hash')).toBe(bodyHash(body, 'SHA-256'));
  });

  it('refuses a GET without oauth_body_hash and a token', async () => {
    const s = await stand(rules);
    const bare = createSignedFetch({ client, signatureMethod: 'RSA-SHA256', fetch: s.fetch });
    const res = await bare('https://sandbox.api.mastercard.com/atms/v1/atm');
    expect(res.status).toBe(400);
    expect((await res.json()).Errors.Error[0].Description).toMatch(/oauth_body_hash/);
    expect(() => mastercard().signOptions({ client, token: { key: 't', secret: 's' } })).toThrow(/client credentials only/);
  });
});

describe('Discogs (PLAINTEXT, User-Agent)', () => {
  const rules = {
    name: 'Discogs',
    signatureMethods: ['PLAINTEXT' as const],
    clients: { [hmacClient.key]: { secret: hmacClient.secret } },
    paths: { temporary: { path: '/oauth/request_token', method: 'GET' as const }, authorize: '/oauth/authorize', token: { path: '/oauth/access_token', method: 'POST' as const }, api: '/oauth/identity' },
    before: (req: StandInRequest): Refusal | undefined => {
      const ua = header(req, 'user-agent') ?? '';
      return ua === '' || ua === 'node' || ua.startsWith('undici') ? { status: 403, problem: 'consumer_key_refused', message: 'a unique User-Agent is required' } : undefined;
    },
  };

  it('runs the flow over https with the User-Agent on every request', async () => {
    const s = await stand(rules);
    const d = discogs({ userAgent: 'CrateDigger/1.0 +https://crate.example' });
    const run = await threeLegged(d, s, hmacClient, 'https://api.discogs.com/oauth/identity', 'https://crate.example/cb');
    expect(run.res.status).toBe(200);
    expect(s.log.filter((e) => e.verified).map((e) => header(e.req, 'user-agent'))).toEqual(Array(3).fill('CrateDigger/1.0 +https://crate.example'));
    expect(s.log[0]!.verified!.signatureMethod).toBe('PLAINTEXT');
  });

  it('without the User-Agent the request is refused, and PLAINTEXT is never signed for http', async () => {
    const s = await stand(rules);
    const res = await requestTemporaryCredentials({ url: 'https://api.discogs.com/oauth/request_token', client: hmacClient, signatureMethod: 'PLAINTEXT', method: 'GET', fetch: s.fetch }).catch((e: unknown) => e);
    expect(res).toBeInstanceOf(OAuthError);
    expect(res).toMatchObject({ status: 403 });
    expect(() => sign({ method: 'GET', url: 'http://api.discogs.com/oauth/identity' }, discogs({ userAgent: 'a' }).signOptions({ client: hmacClient, token: { key: 't', secret: 's' } }))).toThrow(/https only/);
    expect(() => discogs({ userAgent: ' ' })).toThrow(/User-Agent/);
  });
});
