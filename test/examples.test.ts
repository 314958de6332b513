// Every program in docs/examples/ runs, as the guides tell users to run it,
// against real servers on loopback: the server examples answer signed
// requests and refuse others; the client examples talk to the server
// examples. A program the docs add must be listed here (the last test checks).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLtiOutcomeVerifier, sign, type LtiOutcomeRequest, type SignOptions } from '../src/index.js';
import { sendOAuthError, verifyNodeRequest } from '../src/adapters/node.js';
import { examplePrograms, interactWithExample, runExample, startExample, type RunningExample } from './helpers/examples.js';
import { redisServerGate, startRedisServer, type RedisServer } from './helpers/redis-server.js';

const DEMO: SignOptions = {
  client: { key: 'demo-client', secret: 'demo-client-secret' },
  token: { key: 'demo-token', secret: 'demo-token-secret' },
};
const DEMO_ENV = {
  CONSUMER_KEY: 'demo-client',
  CONSUMER_SECRET: 'demo-client-secret',
  ACCESS_TOKEN: 'demo-token',
  ACCESS_TOKEN_SECRET: 'demo-token-secret',
};

/** Sends a request signed by the library (not by the example under test). */
async function signedRequest(method: string, url: string, body?: Record<string, string>, opts: SignOptions = DEMO): Promise<{ status: number; text: string; headers: Headers }> {
  const signed = sign(body === undefined ? { method, url } : { method, url, body }, opts);
  const res = await fetch(signed.url, { method: signed.method, headers: signed.headers, ...(signed.body !== undefined ? { body: signed.body as string } : {}) });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

const tested = new Set<string>();

interface BatteryOptions {
  /** The example parses JSON bodies (its framework's parsers): a JSON POST signed with oauth_body_hash is accepted, and refused once tampered with. */
  json?: boolean;
  /** Failures are answered by Passport: the OAuth problem is in WWW-Authenticate only, the body is Passport's "Unauthorized". */
  passport?: boolean;
}

/**
 * The battery every server example passes: signed GET and form POST accepted,
 * unsigned, forged and replayed requests refused (the OAuth problem in
 * WWW-Authenticate, and in the body unless Passport answers).
 */
function serverBattery(file: string, apiPath: string, opts: BatteryOptions = {}): void {
  tested.add(file);
  describe(`docs/examples/${file}`, { timeout: 90_000 }, () => {
    let server: RunningExample;
    beforeAll(async () => {
      server = await startExample(file);
    }, 90_000);
    afterAll(() => server?.stop());

    it('answers a signed GET with a query', async () => {
      const r = await signedRequest('GET', `${server.url}${apiPath}?page=2&tag=blue+green`);
      expect(r.status, r.text).toBe(200);
      expect(JSON.parse(r.text)).toMatchObject({ client: 'demo-client' });
    });

    it('answers a signed form POST, and the handler gets the fields', async () => {
      const r = await signedRequest('POST', `${server.url}${apiPath}`, { name: 'pen', note: 'Hello Ladies + Gentlemen' });
      expect([200, 201], r.text).toContain(r.status);
      expect(r.text).toContain('Hello Ladies + Gentlemen');
    });

    it.runIf(opts.json === true)('answers a signed JSON POST whose oauth_body_hash covers the bytes sent, with the parsed body, and refuses it tampered with', async () => {
      const body = JSON.stringify({ name: 'pen', note: 'Hello Ladies + Gentlemen' });
      const signed = sign({ method: 'POST', url: `${server.url}${apiPath}`, headers: { 'Content-Type': 'application/json' }, body }, { ...DEMO, bodyHash: true });
      expect(signed.oauthParams.map(([name]) => name)).toContain('oauth_body_hash');
      const res = await fetch(signed.url, { method: 'POST', headers: signed.headers, body });
      const text = await res.text();
      expect([200, 201], text).toContain(res.status);
      expect(JSON.parse(text)).toMatchObject({ client: 'demo-client', created: { name: 'pen', note: 'Hello Ladies + Gentlemen' } });

      const again = sign({ method: 'POST', url: `${server.url}${apiPath}`, headers: { 'Content-Type': 'application/json' }, body }, { ...DEMO, bodyHash: true });
      const tampered = await fetch(again.url, { method: 'POST', headers: again.headers, body: body.replace('pen', 'pencil') });
      expect(tampered.status).toBe(401);
    });

    it('refuses an unsigned request with 401 and WWW-Authenticate', async () => {
      const res = await fetch(`${server.url}${apiPath}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^OAuth /);
    });

    it('refuses a request signed with a wrong secret, and a replay', async () => {
      const forged = await signedRequest('GET', `${server.url}${apiPath}`, undefined, { ...DEMO, client: { key: 'demo-client', secret: 'guess' } });
      expect(forged.status).toBe(401);
      expect(forged.headers.get('www-authenticate')).toContain('oauth_problem="signature_invalid"');
      if (opts.passport !== true) expect(forged.text).toContain('oauth_problem=signature_invalid');

      const signed = sign({ method: 'GET', url: `${server.url}${apiPath}` }, DEMO);
      const first = await fetch(signed.url, { headers: signed.headers });
      const again = await fetch(signed.url, { headers: signed.headers });
      expect(first.status).toBe(200);
      expect(again.status).toBe(401);
      expect(again.headers.get('www-authenticate')).toContain('oauth_problem="nonce_used"');
      if (opts.passport !== true) expect(await again.text()).toContain('oauth_problem=nonce_used');
    });
  });
}

serverBattery('server-node.ts', '/api/items');
serverBattery('server-express.ts', '/api/items', { json: true });
serverBattery('server-fastify.ts', '/api/items', { json: true });
serverBattery('server-koa.ts', '/api/items', { json: true });
serverBattery('server-hono.ts', '/api/items', { json: true });
serverBattery('server-passport.ts', '/api/items', { json: true, passport: true });
serverBattery('behind-proxy.ts', '/api/items');

describe('docs/examples/behind-proxy.ts: the URL checked is the one the client addressed', { timeout: 90_000 }, () => {
  let server: RunningExample;
  beforeAll(async () => {
    server = await startExample('behind-proxy.ts');
  }, 90_000);
  afterAll(() => server?.stop());

  it('checks the proxy\'s URL, not the API\'s own address', async () => {
    const r = await signedRequest('GET', `${server.url}/api/items?x=1`);
    expect(r.status, r.text).toBe(200);
    expect(JSON.parse(r.text).checkedUrl).toBe(`${server.url}/api/items?x=1`);
  });
});

const redisGate = redisServerGate();
tested.add('redis-nonces.ts');
describe.skipIf(redisGate.skip)(`docs/examples/redis-nonces.ts, two processes on one Redis (${redisGate.reason})`, { timeout: 120_000 }, () => {
  let redis: RedisServer;
  let first: RunningExample;
  let second: RunningExample;
  beforeAll(async () => {
    redis = await startRedisServer();
    [first, second] = await Promise.all([startExample('redis-nonces.ts', { REDIS_URL: redis.url }), startExample('redis-nonces.ts', { REDIS_URL: redis.url })]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await redis?.stop();
  });

  it('refuses at the second process a request the first accepted', async () => {
    const signed = sign({ method: 'POST', url: `${first.url}/api/items`, body: { name: 'pen' } }, DEMO);
    const accepted = await fetch(signed.url, { method: 'POST', headers: signed.headers, body: signed.body as string });
    expect(accepted.status, await accepted.clone().text()).toBe(200);
    const firstPid = JSON.parse(await accepted.text()).pid;

    // Behind a load balancer both processes serve one public URL; here they listen on two
    // ports, so the same nonce and timestamp are signed again for the second one's URL.
    const param = (name: string): string => signed.oauthParams.find(([n]) => n === name)?.[1] ?? '';
    const replay = sign({ method: 'POST', url: `${second.url}/api/items`, body: { name: 'pen' } }, { ...DEMO, nonce: param('oauth_nonce'), timestamp: param('oauth_timestamp') });
    const refused = await fetch(replay.url, { method: 'POST', headers: replay.headers, body: replay.body as string });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('oauth_problem=nonce_used');

    const fresh = await signedRequest('POST', `${second.url}/api/items`, { name: 'pen' });
    expect(fresh.status, fresh.text).toBe(200);
    expect(JSON.parse(fresh.text).pid).not.toBe(firstPid);
  });
});

tested.add('client.ts');
describe('docs/examples/client.ts against docs/examples/server-node.ts', { timeout: 120_000 }, () => {
  let server: RunningExample;
  beforeAll(async () => {
    server = await startExample('server-node.ts');
  }, 90_000);
  afterAll(() => server?.stop());

  it('signs a GET with a query, a form POST and a JSON POST with a body hash, all accepted', async () => {
    const r = await runExample('client.ts', { API_URL: `${server.url}/api`, ...DEMO_ENV });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^GET \/items: 200 /m);
    expect(r.stdout).toMatch(/^POST \/items \(form\): 200 .*Hello Ladies \+ Gentlemen/m);
    expect(r.stdout).toMatch(/^POST \/items \(JSON\): 200 /m);
    expect(r.code).toBe(0);
  });

  it('exits 1 and prints the base string it signed when the API refuses', async () => {
    const r = await runExample('client.ts', { API_URL: `${server.url}/api`, ...DEMO_ENV, CONSUMER_SECRET: 'wrong' });
    expect(r.stdout).toMatch(/^GET \/items: 401 /m);
    expect(r.stdout).toMatch(/we signed: GET&http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fapi%2Fitems&oauth_consumer_key%3Ddemo-client/);
    expect(r.code).toBe(1);
  });
});

tested.add('provider.ts').add('three-legged-client.ts');
describe('docs/examples/three-legged-client.ts against docs/examples/provider.ts', { timeout: 120_000 }, () => {
  let provider: RunningExample;
  beforeAll(async () => {
    provider = await startExample('provider.ts');
  }, 90_000);
  afterAll(() => provider?.stop());

  it('gets token credentials through the consent page, then calls the API as the user', async () => {
    const client = interactWithExample('three-legged-client.ts', { PROVIDER_URL: provider.url, CONSUMER_KEY: 'demo-client', CONSUMER_SECRET: 'demo-client-secret' });
    const [, authorize = ''] = await client.waitFor(/open this URL to authorize: (\S+)/);
    expect(authorize.startsWith(`${provider.url}/oauth/authorize?oauth_token=`)).toBe(true);

    // The user's browser: the consent page names the client, and may not be framed.
    const page = await fetch(authorize);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(html).toContain('Demo App asks to access your account');
    const field = (name: string): string => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

    // Approval needs the form's CSRF token.
    const forged = await fetch(`${provider.url}/oauth/authorize`, { method: 'POST', body: new URLSearchParams({ oauth_token: field('oauth_token'), csrf: 'guess' }), redirect: 'manual' });
    expect(forged.status).toBe(403);
    const approved = await fetch(`${provider.url}/oauth/authorize`, { method: 'POST', body: new URLSearchParams({ oauth_token: field('oauth_token'), csrf: field('csrf') }), redirect: 'manual' });
    expect(approved.status).toBe(303);
    const location = approved.headers.get('location') ?? '';
    expect(location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?oauth_token=[^&]+&oauth_verifier=/);

    const back = await fetch(location);
    expect(await back.text()).toContain('Authorized');
    const done = await client.finished();
    expect(done.stderr).toBe('');
    expect(done.stdout).toMatch(/^GET \/api\/me: 200 \{"user":"alice","client":"demo-client"\}$/m);
    expect(done.code).toBe(0);
  });
});

tested.add('lti-tool.ts');
describe('docs/examples/lti-tool.ts, launched by a tool consumer (LMS) played by the test', { timeout: 120_000 }, () => {
  let tool: RunningExample;
  let lms: Server;
  let outcomeUrl = '';
  const outcomes: LtiOutcomeRequest[] = [];
  beforeAll(async () => {
    tool = await startExample('lti-tool.ts');
    // The LMS's Basic Outcomes endpoint, verified with the library's outcome verifier.
    const outcomeVerifier = createLtiOutcomeVerifier({ lookupConsumer: (key) => (key === 'lms-key' ? { secret: 'lms-secret' } : undefined) });
    lms = createServer(async (req, res) => {
      try {
        outcomes.push(await verifyNodeRequest(outcomeVerifier, req));
        res.writeHead(200, { 'Content-Type': 'application/xml' }).end('<imsx_POXEnvelopeResponse><imsx_codeMajor>success</imsx_codeMajor></imsx_POXEnvelopeResponse>');
      } catch (err) {
        if (!sendOAuthError(res, err)) res.writeHead(500).end();
      }
    });
    await new Promise<void>((resolve) => lms.listen(0, '127.0.0.1', resolve));
    outcomeUrl = `http://127.0.0.1:${(lms.address() as AddressInfo).port}/outcomes`;
  }, 90_000);
  afterAll(async () => {
    await tool?.stop();
    await new Promise((resolve) => lms?.close(resolve));
  });

  function launch(secret: string) {
    const fields = {
      lti_message_type: 'basic-lti-launch-request',
      lti_version: 'LTI-1p0',
      resource_link_id: 'course-1-quiz-3',
      user_id: 'u-77',
      lis_person_name_full: 'Ada Lovelace',
      lis_outcome_service_url: outcomeUrl,
      lis_result_sourcedid: 'course-1:quiz-3:u-77',
    };
    const signed = sign({ method: 'POST', url: `${tool.url}/launch`, body: fields }, { client: { key: 'lms-key', secret }, callback: 'about:blank' });
    return fetch(signed.url, { method: 'POST', headers: signed.headers, body: signed.body as string });
  }

  it('refuses a launch signed with another secret', async () => {
    const res = await launch('not-the-secret');
    expect(res.status).toBe(401);
  });

  it('welcomes a signed launch, then reports the score to the LMS with a signed outcome request', async () => {
    const res = await launch('lms-secret');
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(page).toContain('Welcome, Ada Lovelace.');
    const attempt = /name="attempt" value="([^"]+)"/.exec(page)?.[1] ?? '';

    const graded = await fetch(`${tool.url}/grade`, { method: 'POST', body: new URLSearchParams({ attempt, score: '0.92' }) });
    expect(await graded.text()).toBe('score sent: 200 success');
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.consumerKey).toBe('lms-key');
    expect(outcomes[0]?.xml).toContain('<sourcedId>course-1:quiz-3:u-77</sourcedId>');
    expect(outcomes[0]?.xml).toContain('<textString>0.92</textString>');
  });
});

describe('docs/examples/', () => {
  it('has no program that this file does not run', () => {
    expect(examplePrograms().filter((f) => !tested.has(f))).toEqual([]);
  });
});
