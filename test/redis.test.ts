import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVerifier, OAuthError, sign } from '../src/index.js';
import { createRedisNonceStore, type RedisClientFlavor, type RedisNonceStoreOptions } from '../src/stores/redis.js';
import { assertRedisServer, redisServerGate, startRedisServer, type RedisServer } from './helpers/redis-server.js';

/** The stored form of a hashed key; the reference digest is computed here, not with src/crypto.ts. */
const hashed = (key: string): string => `sha256:${createHash('sha256').update(key, 'utf8').digest('base64')}`;

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('createRedisNonceStore with stand-in clients', () => {
  function fakeIoredis(reply: unknown = 'OK') {
    return { status: 'ready', options: {}, set: vi.fn(async () => reply), call: vi.fn(async () => reply) };
  }
  function fakeNodeRedis(reply: unknown = 'OK') {
    return { isOpen: true, set: vi.fn(async () => reply), sendCommand: vi.fn(async () => reply) };
  }

  it('detects ioredis by status + call and sends SET key value EX ttl NX', async () => {
    const client = fakeIoredis();
    await expect(createRedisNonceStore(client).consume('k1', 600)).resolves.toBe(true);
    expect(client.set).toHaveBeenCalledWith('oauth1:nonce:k1', '1', 'EX', 600, 'NX');
    expect(client.call).not.toHaveBeenCalled();
  });

  it('detects node-redis by isOpen and passes both the v4 and the v5 option names', async () => {
    const client = fakeNodeRedis();
    await expect(createRedisNonceStore(client).consume('k1', 600)).resolves.toBe(true);
    expect(client.set).toHaveBeenCalledWith('oauth1:nonce:k1', '1', {
      NX: true,
      EX: 600,
      condition: 'NX',
      expiration: { type: 'EX', value: 600 },
    });
    expect(client.sendCommand).not.toHaveBeenCalled();
  });

  it('uses call(...) or sendCommand([...]) on a generic client', async () => {
    const call = vi.fn(async () => null);
    await expect(createRedisNonceStore({ call }).consume('k', 5)).resolves.toBe(false);
    expect(call).toHaveBeenCalledWith('SET', 'oauth1:nonce:k', '1', 'EX', '5', 'NX');

    const sendCommand = vi.fn(async () => 'OK');
    await expect(createRedisNonceStore({ sendCommand }).consume('k', 5)).resolves.toBe(true);
    expect(sendCommand).toHaveBeenCalledWith(['SET', 'oauth1:nonce:k', '1', 'EX', '5', 'NX']);
  });

  it('options.flavor overrides detection', async () => {
    const client = fakeNodeRedis();
    await createRedisNonceStore(client, { flavor: 'send-command' }).consume('k', 5);
    expect(client.sendCommand).toHaveBeenCalledWith(['SET', 'oauth1:nonce:k', '1', 'EX', '5', 'NX']);
    expect(client.set).not.toHaveBeenCalled();
  });

  it('rounds the TTL up to whole seconds, at least 1', async () => {
    const sendCommand = vi.fn(async () => 'OK');
    const store = createRedisNonceStore({ sendCommand });
    await store.consume('a', 0.001);
    await store.consume('b', 59.01);
    await store.consume('c', 60);
    expect(sendCommand.mock.calls.map((c) => (c as unknown as [string[]])[0][4])).toEqual(['1', '60', '60']);
  });

  it('keeps a short key readable and hashes a long one (or one that looks hashed) with SHA-256', async () => {
    const sendCommand = vi.fn(async (_args: string[]) => 'OK');
    const store = createRedisNonceStore({ sendCommand }, { prefix: 'p:' });
    const short = 'ck&tk&1700000000&' + 'n'.repeat(183); // 200 bytes
    const long = short + 'x'; // 201 bytes
    const lookalike = 'sha256:abc';
    const multibyte = 'é'.repeat(101); // 202 UTF-8 bytes, 101 UTF-16 units
    for (const key of [short, long, lookalike, multibyte]) await store.consume(key, 5);
    const keys = sendCommand.mock.calls.map((c) => c[0][1]);
    expect(keys).toEqual([
      `p:${short}`,
      `p:${hashed(long)}`,
      `p:${hashed(lookalike)}`,
      `p:${hashed(multibyte)}`,
    ]);
  });

  it('answers a client error with 503 temporarily_unavailable, the error as its cause', async () => {
    const boom = new Error('connection lost');
    const store = createRedisNonceStore({ sendCommand: async () => Promise.reject(boom) });
    await expect(store.consume('k', 5)).rejects.toMatchObject({ status: 503, problem: 'temporarily_unavailable', cause: boom });
  });

  it('answers 503 with Retry-After when Redis does not answer within the timeout (an offline queue holding the command)', async () => {
    const store = createRedisNonceStore({ sendCommand: () => new Promise(() => undefined) }, { timeout: 50 });
    // A hang would fail this test by vitest's own time limit.
    const err = await rejection(store.consume('k', 5));
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ status: 503, problem: 'temporarily_unavailable' });
    expect((err as OAuthError).headers['Retry-After']).toBe('1');
  });

  it('refuses a timeout that is not a positive integer number of milliseconds', () => {
    expect(() => createRedisNonceStore({ sendCommand: async () => 'OK' }, { timeout: 0 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['a queued reply', 'QUEUED'],
    ['a number', 1],
  ])('never turns an unexpected reply (%s) into true', async (_name, reply) => {
    const store = createRedisNonceStore({ sendCommand: async () => reply });
    const err = await rejection(store.consume('k', 5));
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/unexpected reply/);
  });

  it('accepts an OK reply as bytes', async () => {
    const store = createRedisNonceStore({ sendCommand: async () => Buffer.from('OK') });
    await expect(store.consume('k', 5)).resolves.toBe(true);
  });

  it('rejects bad consume arguments with TypeErrors', async () => {
    const sendCommand = vi.fn(async () => 'OK');
    const store = createRedisNonceStore({ sendCommand });
    for (const [key, ttl, path, code] of [
      ['', 5, '"key"', 'ERR_INVALID_ARG_VALUE'],
      [5, 5, '"key"', 'ERR_INVALID_ARG_TYPE'],
      ['k', 0, '"ttlSeconds"', 'ERR_INVALID_ARG_VALUE'],
      ['k', Infinity, '"ttlSeconds"', 'ERR_INVALID_ARG_VALUE'],
      ['k', '5', '"ttlSeconds"', 'ERR_INVALID_ARG_TYPE'],
    ] as const) {
      const err = await rejection(store.consume(key as string, ttl as number));
      expect(err).toBeInstanceOf(TypeError);
      expect(err).toMatchObject({ code });
      expect((err as Error).message).toContain(path);
    }
    expect(sendCommand).not.toHaveBeenCalled();
  });

  it('checks the client and options when created', () => {
    const cases: Array<[unknown, unknown, string, string]> = [
      [null, undefined, '"client"', 'ERR_INVALID_ARG_TYPE'],
      [{}, undefined, '"client"', 'ERR_INVALID_ARG_TYPE'],
      [{ set: () => 'OK' }, undefined, '"client"', 'ERR_INVALID_ARG_TYPE'],
      [{ sendCommand: () => 'OK' }, 'x', '"options"', 'ERR_INVALID_ARG_TYPE'],
      [{ sendCommand: () => 'OK' }, { prefix: 1 }, '"options.prefix"', 'ERR_INVALID_ARG_TYPE'],
      [{ sendCommand: () => 'OK' }, { flavor: 'memcached' }, '"options.flavor"', 'ERR_INVALID_ARG_VALUE'],
      [{ sendCommand: () => 'OK' }, { flavor: 'call' }, '"client.call"', 'ERR_INVALID_ARG_TYPE'],
    ];
    for (const [client, options, path, code] of cases) {
      let err: unknown;
      try {
        createRedisNonceStore(client as never, options as RedisNonceStoreOptions);
      } catch (e) {
        err = e;
      }
      expect(err, path).toBeInstanceOf(TypeError);
      expect(err).toMatchObject({ code });
      expect((err as Error).message).toContain(path);
    }
  });
});

const gate = redisServerGate();
if (gate.skip) console.warn(`test/redis.test.ts: real-server tests ${gate.reason}`);

describe.skipIf(gate.skip)(`createRedisNonceStore against redis-server (${gate.reason})`, () => {
  let server: RedisServer | undefined;
  let nodeRedis: ReturnType<typeof createClient>;
  let ioredis: Redis;

  beforeAll(async () => {
    assertRedisServer();
    server = await startRedisServer();
    nodeRedis = createClient({ url: server.url });
    nodeRedis.on('error', () => {}); // surfaced through the rejected commands instead
    await nodeRedis.connect();
    ioredis = new Redis({ host: '127.0.0.1', port: server.port, lazyConnect: true, maxRetriesPerRequest: 1 });
    await ioredis.connect();
  });

  afterAll(async () => {
    if (nodeRedis?.isOpen) await nodeRedis.close();
    if (ioredis && ioredis.status !== 'end') await ioredis.quit();
    await server?.stop();
  });

  const flavors: Array<{ name: string; flavor: RedisClientFlavor; store: (prefix: string) => ReturnType<typeof createRedisNonceStore> }> = [
    { name: 'node-redis (detected)', flavor: 'node-redis', store: (prefix) => createRedisNonceStore(nodeRedis, { prefix }) },
    { name: 'ioredis (detected)', flavor: 'ioredis', store: (prefix) => createRedisNonceStore(ioredis, { prefix }) },
    {
      name: 'node-redis through sendCommand',
      flavor: 'send-command',
      store: (prefix) => createRedisNonceStore(nodeRedis, { prefix, flavor: 'send-command' }),
    },
    { name: 'ioredis through call', flavor: 'call', store: (prefix) => createRedisNonceStore(ioredis, { prefix, flavor: 'call' }) },
  ];

  describe.each(flavors)('$name', ({ store: makeStore }) => {
    it('answers true on first use and false on a replay, and sets the TTL', async () => {
      const prefix = `t:${randomUUID()}:`;
      const store = makeStore(prefix);
      expect(await store.consume('ck&tk&1700000000&n1', 600)).toBe(true);
      expect(await store.consume('ck&tk&1700000000&n1', 600)).toBe(false);
      expect(await store.consume('ck&tk&1700000000&n2', 600)).toBe(true);
      const ttl = await ioredis.ttl(`${prefix}ck&tk&1700000000&n1`);
      expect(ttl).toBeGreaterThan(590);
      expect(ttl).toBeLessThanOrEqual(600);
      expect(await nodeRedis.ttl(`${prefix}ck&tk&1700000000&n2`)).toBeGreaterThan(590);
    });

    it('stores a long key as its hash, with the TTL rounded up', async () => {
      const prefix = `t:${randomUUID()}:`;
      const store = makeStore(prefix);
      const long = 'k'.repeat(500);
      expect(await store.consume(long, 1.5)).toBe(true);
      expect(await store.consume(long, 1.5)).toBe(false);
      const keys = await ioredis.keys(`${prefix}*`);
      expect(keys).toEqual([`${prefix}${hashed(long)}`]);
      expect(await ioredis.pttl(keys[0]!)).toBeGreaterThan(1_500);
    });

    it('answers true again once the key expired', async () => {
      const store = makeStore(`t:${randomUUID()}:`);
      expect(await store.consume('short-lived', 1)).toBe(true);
      expect(await store.consume('short-lived', 1)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 1_150));
      expect(await store.consume('short-lived', 1)).toBe(true);
      expect(await store.consume('short-lived', 1)).toBe(false);
    });

    it('lets exactly one of 200 concurrent consumes of one key through', async () => {
      const store = makeStore(`t:${randomUUID()}:`);
      const answers = await Promise.all(Array.from({ length: 200 }, () => store.consume('raced', 60)));
      expect(answers.filter((a) => a === true)).toHaveLength(1);
      expect(answers.filter((a) => a === false)).toHaveLength(199);
    });

    it('propagates a server error instead of answering true', async () => {
      const store = makeStore(`t:${randomUUID()}:`);
      // EX in ms overflows a 64-bit integer: Redis answers "ERR invalid expire time".
      const err = await rejection(store.consume('too-long', 1e17));
      expect(err).toBeInstanceOf(OAuthError);
      expect(err).toMatchObject({ status: 503, problem: 'temporarily_unavailable' });
      expect(String(((err as OAuthError).cause as Error).message)).toMatch(/invalid expire time/i);
    });
  });

  it('node-redis and ioredis see the same nonces (one Redis, one prefix)', async () => {
    const prefix = `t:${randomUUID()}:`;
    const a = createRedisNonceStore(nodeRedis, { prefix });
    const b = createRedisNonceStore(ioredis, { prefix });
    expect(await a.consume('shared', 60)).toBe(true);
    expect(await b.consume('shared', 60)).toBe(false);
    expect(await createRedisNonceStore(ioredis, { prefix: `${prefix}other:` }).consume('shared', 60)).toBe(true);
  });

  it('protects a verifier against a replay, and a closed client fails verification with 503 and Retry-After, its error as the cause', async () => {
    const now = 1_700_000_000_000;
    const client = createClient({ url: server!.url });
    await client.connect();
    const verifier = createVerifier({
      lookupClient: (key) => (key === 'ck' ? { secret: 'cs' } : undefined),
      lookupToken: (token) => (token === 'tk' ? { secret: 'ts' } : undefined),
      clock: () => now,
      nonceStore: createRedisNonceStore(client, { prefix: `t:${randomUUID()}:` }),
    });
    const signed = sign(
      { method: 'GET', url: 'https://api.example.com/items?a=1' },
      { client: { key: 'ck', secret: 'cs' }, token: { key: 'tk', secret: 'ts' }, timestamp: now / 1000, nonce: 'once' },
    );
    const request = { method: signed.method, url: signed.url, headers: signed.headers };
    await expect(verifier.verify(request)).resolves.toBeTruthy();
    await expect(verifier.verify(request)).rejects.toMatchObject({ status: 401, problem: 'nonce_used' });

    await client.close();
    const fresh = sign(
      { method: 'GET', url: 'https://api.example.com/items?a=1' },
      { client: { key: 'ck', secret: 'cs' }, token: { key: 'tk', secret: 'ts' }, timestamp: now / 1000, nonce: 'twice' },
    );
    const err = await rejection(verifier.verify({ method: fresh.method, url: fresh.url, headers: fresh.headers }));
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ status: 503, problem: 'temporarily_unavailable' });
    expect((err as OAuthError).headers['Retry-After']).toBe('1');
    expect((err as OAuthError).cause).toBeInstanceOf(Error);
    expect((err as OAuthError).cause).not.toBeInstanceOf(OAuthError);
  });
});
