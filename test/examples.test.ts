// Every program in docs/examples/ runs, as the guides tell users to run it,
// against real servers on loopback: the server examples answer signed
// requests and refuse others; the client examples talk to the server
// examples. A program the docs add must be listed here (the last test checks).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign, type SignOptions } from '../src/index.js';
import { examplePrograms, runExample, startExample, type RunningExample } from './helpers/examples.js';
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

/** The battery every server example passes: signed GET and form POST accepted, unsigned, forged and replayed requests refused. */
function serverBattery(file: string, apiPath: string): void {
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

    it('refuses an unsigned request with 401 and WWW-Authenticate', async () => {
      const res = await fetch(`${server.url}${apiPath}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^OAuth /);
    });

    it('refuses a request signed with a wrong secret, and a replay', async () => {
      const forged = await signedRequest('GET', `${server.url}${apiPath}`, undefined, { ...DEMO, client: { key: 'demo-client', secret: 'guess' } });
      expect(forged.status).toBe(401);
      expect(forged.text).toContain('oauth_problem=signature_invalid');

      const signed = sign({ method: 'GET', url: `${server.url}${apiPath}` }, DEMO);
      const first = await fetch(signed.url, { headers: signed.headers });
      const again = await fetch(signed.url, { headers: signed.headers });
      expect(first.status).toBe(200);
      expect(again.status).toBe(401);
      expect(await again.text()).toContain('oauth_problem=nonce_used');
    });
  });
}

serverBattery('server-node.ts', '/api/items');
serverBattery('server-express.ts', '/api/items');
serverBattery('server-fastify.ts', '/api/items');
serverBattery('server-koa.ts', '/api/items');
serverBattery('server-hono.ts', '/api/items');
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

describe('docs/examples/', () => {
  it('has no program that this file does not run', () => {
    expect(examplePrograms().filter((f) => !tested.has(f))).toEqual([]);
  });
});
