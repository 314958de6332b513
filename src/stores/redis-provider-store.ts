/**
 * A {@link ProviderStore} on Redis, for providers that run in more than one
 * process: temporary credentials usable once across all of them, dropped by
 * Redis when they expire, and token credentials that stay readable when
 * revoked.
 *
 * Each record is one hash, under one key, so every operation touches one key
 * (a Redis Cluster slot) and the two that must be atomic are single Lua
 * scripts:
 *
 * - temporary credentials, `prefix + 't:' + key`: `r` (the record as JSON),
 *   `used` (`0`/`1`) and `a` (the approval as JSON, once approved); the key
 *   lives `expiresAt - createdAt` milliseconds (`PEXPIRE`);
 * - token credentials, `prefix + 'k:' + key`: `r` and `revoked`.
 *
 * `approveTemporary` and `takeTemporary` read and change the hash in one
 * script: of two provider processes exchanging the same temporary
 * credentials at once, exactly one gets them. A used record is kept until it
 * expires, so a second exchange is answered `token_used`.
 * @module
 */
import { invalidArgType, invalidArgValue } from '../core/errors.js';
import { object, oneOf, optionalString, positiveInteger } from '../core/validate.js';
import type { ProviderStore, TemporaryApproval, TemporaryCredentialsRecord, TokenCredentialsRecord } from '../server/provider-store.js';
import { FLAVORS, commandSender, detectFlavor, storedKey, withinTime, type RedisClientFlavor, type SendCommand } from './redis-client.js';

/**
 * A client {@link createRedisProviderStore} accepts: node-redis (v4, v5)
 * and ioredis (v5) clients, or anything with a raw-command method,
 * `sendCommand(args)` or `call(command, ...args)`.
 *
 * @example A node-redis cluster, through a wrapper that routes by the key
 * ```ts
 * const client: RedisProviderClient = { sendCommand: (args) => cluster.sendCommand(args[3], false, args) };
 * ```
 * @group Provider
 */
export type RedisProviderClient = { sendCommand(args: string[]): PromiseLike<unknown> } | { call(command: string, ...args: string[]): PromiseLike<unknown> };

/**
 * Options of {@link createRedisProviderStore}.
 *
 * @example
 * ```ts
 * const options: RedisProviderStoreOptions = { prefix: 'shop:oauth:', timeout: 1000 };
 * ```
 * @group Provider
 */
export interface RedisProviderStoreOptions {
  /** Prepended to every Redis key; default `'oauth1:provider:'`. */
  prefix?: string;
  /** How to call the client; detected from the client when left out. */
  flavor?: RedisClientFlavor;
  /** Milliseconds to wait for Redis before failing with 503 `temporarily_unavailable` (with `Retry-After`); default 500. */
  timeout?: number;
}

/**
 * The store {@link createRedisProviderStore} returns: a
 * {@link ProviderStore} whose every method answers with a promise.
 *
 * @example
 * ```ts
 * const store: RedisProviderStore = createRedisProviderStore(redis);
 * const pending = await store.getTemporary('hdk48Djdsa');
 * ```
 * @group Provider
 */
export interface RedisProviderStore extends ProviderStore {
  saveTemporary(record: TemporaryCredentialsRecord): Promise<void>;
  getTemporary(key: string): Promise<TemporaryCredentialsRecord | null>;
  approveTemporary(key: string, approval: TemporaryApproval): Promise<TemporaryCredentialsRecord | null>;
  takeTemporary(key: string): Promise<TemporaryCredentialsRecord | null>;
  saveToken(record: TokenCredentialsRecord): Promise<void>;
  getToken(key: string): Promise<TokenCredentialsRecord | null>;
  revokeToken(key: string): Promise<boolean>;
}

const STORE = 'provider store';
const DEFAULT_PREFIX = 'oauth1:provider:';

// Each script reads and writes one key. HSET keeps the key's expiry.
const SAVE_TEMPORARY = `redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'r', ARGV[1], 'used', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'a', ARGV[3]) end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;
const APPROVE = `local v = redis.call('HMGET', KEYS[1], 'r', 'used', 'a')
if not v[1] or v[2] == '1' or v[3] then return false end
redis.call('HSET', KEYS[1], 'a', ARGV[1])
return {v[1], v[2], ARGV[1]}`;
const TAKE = `local v = redis.call('HMGET', KEYS[1], 'r', 'used', 'a')
if not v[1] or v[2] == '1' then return false end
redis.call('HSET', KEYS[1], 'used', '1')
return v`;
const SAVE_TOKEN = `redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'r', ARGV[1], 'revoked', ARGV[2])
return 1`;
const REVOKE = `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'revoked', '1')
return 1`;

const text = (value: unknown): string | null =>
  value === null || value === undefined || value === false ? null : value instanceof Uint8Array ? new TextDecoder().decode(value) : String(value);

/** The reply of HMGET r used|revoked a: the three fields, or null when the record does not exist. */
function fields(reply: unknown): [string, string | null, string | null] | null {
  if (!Array.isArray(reply)) return null;
  const [record, flag, approval] = reply.map(text);
  return record === null || record === undefined ? null : [record, flag ?? null, approval ?? null];
}

function temporaryOf(reply: unknown): TemporaryCredentialsRecord | null {
  const f = fields(reply);
  if (f === null) return null;
  const record = JSON.parse(f[0]) as TemporaryCredentialsRecord;
  if (f[2] !== null) Object.assign(record, JSON.parse(f[2]) as TemporaryApproval);
  if (f[1] === '1') record.used = true;
  return record;
}

function tokenOf(reply: unknown): TokenCredentialsRecord | null {
  const f = fields(reply);
  if (f === null) return null;
  const record = JSON.parse(f[0]) as TokenCredentialsRecord;
  if (f[1] === '1') record.revoked = true;
  return record;
}

function checkTemporary(record: TemporaryCredentialsRecord): void {
  if (typeof record?.key !== 'string' || typeof record.clientKey !== 'string') throw invalidArgType('record', 'a temporary credentials record');
  if (!Number.isFinite(record.expiresAt) || !Number.isFinite(record.createdAt)) {
    throw invalidArgValue('record.expiresAt', 'and record.createdAt must be numbers of milliseconds');
  }
}

/** The stored JSON of a temporary record: the approval and `used` live in their own fields. */
function temporaryJson(record: TemporaryCredentialsRecord): { json: string; used: string; approval: string } {
  const { verifier, owner, attributes, used, ...rest } = record;
  const approval = verifier === undefined ? '' : JSON.stringify({ verifier, owner, ...(attributes === undefined ? {} : { attributes }) });
  return { json: JSON.stringify(rest), used: used === true ? '1' : '0', approval };
}

function clientOf(client: unknown, flavor: RedisClientFlavor | undefined): SendCommand {
  if ((typeof client !== 'object' && typeof client !== 'function') || client === null) {
    throw invalidArgType('client', 'a node-redis or ioredis client, or an object with sendCommand(args) or call(command, ...args)');
  }
  const c = client as Record<string, unknown>;
  const chosen = flavor ?? detectFlavor(c, 'sendCommand');
  if (chosen === undefined) throw invalidArgType('client', 'a node-redis or ioredis client, or an object with sendCommand(args) or call(command, ...args)');
  return commandSender(c, chosen);
}

/**
 * Creates a {@link ProviderStore} on Redis (any version from 6.2), shared by
 * every provider process that uses the same Redis and prefix.
 *
 * - Temporary credentials expire by TTL: Redis drops them
 *   `expiresAt - createdAt` milliseconds after they are saved.
 * - `approveTemporary` and `takeTemporary` are one Lua script each (one key):
 *   an approval is recorded once, and of any number of concurrent exchanges
 *   of the same temporary credentials, in any number of processes, exactly
 *   one gets the record.
 * - `revokeToken` keeps the record, marked revoked (`token_revoked`).
 * - Records are stored as JSON: `attributes` must be JSON values.
 * - Keys longer than 200 bytes are stored as their SHA-256.
 * - When Redis does not answer within `options.timeout`, or the client
 *   fails, the call rejects with a 503 `temporarily_unavailable`
 *   {@link OAuthError} carrying `Retry-After` (the client's error as `cause`).
 *
 * @example node-redis
 * ```ts
 * import { createClient } from 'redis';
 * import { createProvider } from 'oauth1';
 * import { createRedisProviderStore } from 'oauth1/redis';
 *
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 * const provider = createProvider({ lookupClient, store: createRedisProviderStore(redis) });
 * ```
 * @see RFC 5849 §2 (temporary credentials used once, with a limited lifetime)
 * @group Provider
 */
export function createRedisProviderStore(client: RedisProviderClient, options: RedisProviderStoreOptions = {}): RedisProviderStore {
  object(options, 'options');
  const prefix = optionalString(options.prefix, 'options.prefix') ?? DEFAULT_PREFIX;
  const timeout = positiveInteger(options.timeout, 'options.timeout', 500, 'milliseconds');
  const send = clientOf(client, options.flavor === undefined ? undefined : oneOf(options.flavor, 'options.flavor', FLAVORS));
  const run = (args: string[]): Promise<unknown> => withinTime(send(args), timeout, STORE);
  const eval1 = (script: string, key: string, ...args: string[]): Promise<unknown> => run(['EVAL', script, '1', key, ...args]);
  const temporaryKey = async (key: string): Promise<string> => `${prefix}t:${await storedKey(String(key))}`;
  const tokenKey = async (key: string): Promise<string> => `${prefix}k:${await storedKey(String(key))}`;

  return {
    async saveTemporary(record) {
      checkTemporary(record);
      const { json, used, approval } = temporaryJson(record);
      const ttl = Math.max(1, Math.ceil(record.expiresAt - record.createdAt));
      await eval1(SAVE_TEMPORARY, await temporaryKey(record.key), json, used, approval, String(ttl));
    },
    getTemporary: async (key) => temporaryOf(await run(['HMGET', await temporaryKey(key), 'r', 'used', 'a'])),
    approveTemporary: async (key, approval) =>
      temporaryOf(await eval1(APPROVE, await temporaryKey(key), JSON.stringify({ verifier: approval.verifier, owner: approval.owner, ...(approval.attributes === undefined ? {} : { attributes: approval.attributes }) }))),
    takeTemporary: async (key) => temporaryOf(await eval1(TAKE, await temporaryKey(key))),
    async saveToken(record) {
      if (typeof record?.key !== 'string' || typeof record.secret !== 'string') throw invalidArgType('record', 'a token credentials record');
      const { revoked, ...rest } = record;
      await eval1(SAVE_TOKEN, await tokenKey(record.key), JSON.stringify(rest), revoked === true ? '1' : '0');
    },
    getToken: async (key) => tokenOf(await run(['HMGET', await tokenKey(key), 'r', 'revoked'])),
    revokeToken: async (key) => Number(text(await eval1(REVOKE, await tokenKey(key)))) === 1,
  };
}
