/**
 * The store contracts of oauth1/testing: the in-memory and Redis stores
 * (node-redis and ioredis, on a real redis-server) pass them, and stores that
 * break a rule are caught, so the suites can fail.
 */
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryProviderStore, type ProviderStore, type TemporaryCredentialsRecord } from '../src/server/provider-store.js';
import { createMemoryNonceStore } from '../src/server/nonce-store.js';
import { createRedisNonceStore, createRedisProviderStore } from '../src/stores/redis.js';
import { ContractError, nonceStoreContract, providerStoreContract, type ContractCheck } from '../src/testing/index.js';
import { assertRedisServer, redisServerGate, startRedisServer, type RedisServer } from './helpers/redis-server.js';

function runAll(checks: ContractCheck[]): void {
  for (const c of checks) it(c.name, () => c.run());
}

describe('the in-memory provider store passes the provider store contract', () => {
  let now = Date.now();
  runAll(providerStoreContract({ makeStore: () => createMemoryProviderStore({ clock: () => now }), advance: (ms) => void (now += ms) }));
});

describe('the in-memory nonce store passes the nonce store contract', () => {
  runAll(nonceStoreContract({ makeStore: () => createMemoryNonceStore() }));
});

/** Runs one check and returns the broken rule it reports. */
async function failure(checks: ContractCheck[], name: RegExp): Promise<string> {
  const c = checks.find((x) => name.test(x.name));
  if (c === undefined) throw new Error(`no check matches ${name}`);
  const err = await c.run().then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ContractError);
  return (err as Error).message;
}

describe('stores that break the contract are caught', () => {
  it('a take that reads, awaits, then writes (not atomic): the race check fails', async () => {
    const store = createMemoryProviderStore();
    const racy: ProviderStore = {
      ...store,
      async takeTemporary(key) {
        const record = store.getTemporary(key);
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (record === undefined || record.used) return undefined;
        store.takeTemporary(key);
        return record;
      },
    };
    expect(await failure(providerStoreContract({ makeStore: () => racy }), /concurrent takes/)).toMatch(/^8 of 8 concurrent takes got the credentials$/);
  });

  it('a store that keeps and hands out references: the copy check fails', async () => {
    const held = new Map<string, TemporaryCredentialsRecord>();
    const store = { ...createMemoryProviderStore(), saveTemporary: (r: TemporaryCredentialsRecord) => void held.set(r.key, r), getTemporary: (k: string) => held.get(k) };
    expect(await failure(providerStoreContract({ makeStore: () => store }), /records are copies/)).toMatch(/kept a reference/);
  });

  it('a store that never expires temporary credentials: the expiry check fails', async () => {
    const store = createMemoryProviderStore();
    expect(await failure(providerStoreContract({ makeStore: () => store, advance: () => undefined }), /expire/)).toMatch(/expired credentials were handed out/);
  });

  it('a nonce store that forgets: the replay check fails', async () => {
    expect(await failure(nonceStoreContract({ makeStore: () => ({ consume: () => true }) }), /accepted once/)).toBe('a replay was accepted');
  });
});

const gate = redisServerGate();
describe.skipIf(gate.skip)(`the Redis stores on a real redis-server (${gate.reason})`, () => {
  let server: RedisServer;
  let nodeRedis: ReturnType<typeof createClient>;
  let ioredis: Redis;
  beforeAll(async () => {
    assertRedisServer();
    server = await startRedisServer();
    nodeRedis = await createClient({ url: server.url }).connect();
    ioredis = new Redis(server.url);
  });
  afterAll(async () => {
    await nodeRedis?.quit();
    ioredis?.disconnect();
    await server?.stop();
  });

  describe('createRedisProviderStore with node-redis', () => {
    runAll(providerStoreContract({ makeStore: () => createRedisProviderStore(nodeRedis, { prefix: 'contract-nr:' }), ttlMs: 300 }));
  });
  describe('createRedisProviderStore with ioredis', () => {
    runAll(providerStoreContract({ makeStore: () => createRedisProviderStore(ioredis, { prefix: 'contract-io:' }), ttlMs: 300 }));
  });
  describe('createRedisNonceStore with node-redis and ioredis', () => {
    runAll(nonceStoreContract({ makeStore: () => createRedisNonceStore(nodeRedis, { prefix: 'contract-n1:' }) }));
    runAll(nonceStoreContract({ makeStore: () => createRedisNonceStore(ioredis, { prefix: 'contract-n2:' }) }));
  });

  it('keeps a temporary record in one hash that Redis expires, and a token in one without expiry', async () => {
    const store = createRedisProviderStore(nodeRedis, { prefix: 'layout:' });
    const now = Date.now();
    await store.saveTemporary({ key: 'tk', secret: 's', clientKey: 'ck', callback: 'oob', createdAt: now, expiresAt: now + 60_000 });
    await store.saveToken({ key: 'tk', secret: 's2', clientKey: 'ck', owner: 'o', createdAt: now });
    const ttl = await nodeRedis.pTTL('layout:t:tk');
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await nodeRedis.pTTL('layout:k:tk')).toBe(-1);
    expect(await nodeRedis.hGetAll('layout:t:tk')).toMatchObject({ used: '0' });
  });
});

describe('createRedisProviderStore with stand-in clients', () => {
  it('answers 503 with Retry-After when Redis does not answer in time', async () => {
    const store = createRedisProviderStore({ sendCommand: () => new Promise(() => undefined) }, { timeout: 20 });
    await expect(store.getTemporary('k')).rejects.toMatchObject({ status: 503, problem: 'temporarily_unavailable', headers: { 'Retry-After': '1' } });
  });

  it('checks its arguments', () => {
    expect(() => createRedisProviderStore({} as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    expect(() => createRedisProviderStore({ call: async () => null }, { timeout: 0 })).toThrow(/options\.timeout/);
    expect(() => providerStoreContract({} as never)).toThrow(/options\.makeStore/);
  });
});
