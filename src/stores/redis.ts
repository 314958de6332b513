/**
 * `oauth1/redis`: a {@link NonceStore} shared by every process that talks to
 * one Redis, so a request accepted by one worker is a replay for all others.
 *
 * No Redis package is imported: the client is described structurally, and
 * node-redis (v4, v5, clients and clusters), ioredis (v5, `Redis` and
 * `Cluster`) and any client with a raw-command method fit.
 *
 * @module oauth1/redis
 */
import { invalidArgType } from '../core/errors.js';
import { object, oneOf, optionalString, positiveInteger } from '../core/validate.js';
import { checkConsumeArguments, type NonceStore } from '../server/nonce-store.js';
import { FLAVORS, detectFlavor, storedKey, unavailable as storeUnavailable, withinTime, type RedisClientFlavor } from './redis-client.js';

export type { RedisClientFlavor } from './redis-client.js';
export { OAuthError } from '../core/errors.js';
export {
  createRedisProviderStore,
  type RedisProviderClient,
  type RedisProviderStore,
  type RedisProviderStoreOptions,
} from './redis-provider-store.js';

/**
 * The part of a node-redis (v4+) client or cluster the store uses.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const client: NodeRedisLikeClient = await createClient({ url: 'redis://localhost:6379' }).connect();
 * ```
 * @see RFC 5849 §3.3
 * @group Nonce stores
 */
export interface NodeRedisLikeClient {
  /** node-redis clients and clusters have this boolean; the store detects node-redis by it. */
  readonly isOpen: boolean;
  set(
    key: string,
    value: string,
    options: {
      NX: true;
      EX: number;
      condition: 'NX';
      expiration: { type: 'EX'; value: number };
    },
  ): PromiseLike<unknown>;
}

/**
 * The part of an ioredis (v5) `Redis` or `Cluster` the store uses.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * const client: IoRedisLikeClient = new Redis(6379, '127.0.0.1');
 * ```
 * @see RFC 5849 §3.3
 * @group Nonce stores
 */
export interface IoRedisLikeClient {
  /** ioredis connection state (`'ready'`, `'connecting'`, …); the store detects ioredis by it and `call`. */
  readonly status: string;
  set(key: string, value: string, ex: 'EX', seconds: number, nx: 'NX'): PromiseLike<unknown>;
  call(command: string, ...args: Array<string | number>): PromiseLike<unknown>;
}

/**
 * A client that sends one raw command as an array of strings, as node-redis'
 * `client.sendCommand(['SET', …])` does.
 *
 * @example
 * ```ts
 * const client: SendCommandClient = { sendCommand: (args) => myDriver.command(args) };
 * ```
 * @see RFC 5849 §3.3
 * @group Nonce stores
 */
export interface SendCommandClient {
  sendCommand(args: string[]): PromiseLike<unknown>;
}

/**
 * A client that sends one raw command as a name and arguments, as ioredis'
 * `client.call('SET', …)` does.
 *
 * @example
 * ```ts
 * const client: CallClient = { call: (command, ...args) => myDriver.command([command, ...args]) };
 * ```
 * @see RFC 5849 §3.3
 * @group Nonce stores
 */
export interface CallClient {
  call(command: string, ...args: string[]): PromiseLike<unknown>;
}

/**
 * Any client {@link createRedisNonceStore} accepts.
 *
 * @example
 * ```ts
 * function storeFor(client: RedisLikeClient) { return createRedisNonceStore(client); }
 * ```
 * @see RFC 5849 §3.3
 * @group Nonce stores
 */
export type RedisLikeClient = NodeRedisLikeClient | IoRedisLikeClient | SendCommandClient | CallClient;



/**
 * Options of {@link createRedisNonceStore}.
 *
 * @example
 * ```ts
 * const options: RedisNonceStoreOptions = { prefix: 'myapp:oauth-nonce:' };
 * ```
 * @see RFC 5849 §3.3
 * @group Nonce stores
 */
export interface RedisNonceStoreOptions {
  /** Prepended to every Redis key; default `'oauth1:nonce:'`. */
  prefix?: string;
  /** How to call the client; detected from the client when left out (see {@link createRedisNonceStore}). */
  flavor?: RedisClientFlavor;
  /**
   * Milliseconds to wait for Redis before answering 503 `temporarily_unavailable`
   * (with `Retry-After`); default 500. A client with an offline queue (node-redis)
   * would otherwise hold the request until Redis returns.
   */
  timeout?: number;
}

/**
 * The store {@link createRedisNonceStore} returns: a {@link NonceStore}
 * whose `consume` always answers with a promise.
 *
 * @example
 * ```ts
 * const store: RedisNonceStore = createRedisNonceStore(redis);
 * if (!(await store.consume('ck&tk&1700000000&n1', 600))) throw new Error('replay');
 * ```
 * @see RFC 5849 §3.3
 * @group Nonce stores
 */
export interface RedisNonceStore extends NonceStore {
  /**
   * One `SET prefix+key 1 EX ttl NX`: resolves `true` on first use, `false`
   * while the key exists; rejects with the client's error, or with a
   * `TypeError` for a key that is not a non-empty string or a TTL that is not
   * a positive finite number.
   */
  consume(key: string, ttlSeconds: number): Promise<boolean>;
}

const DEFAULT_PREFIX = 'oauth1:nonce:';
const STORE = 'nonce store';

type SetNx = (key: string, value: string, ttl: number) => PromiseLike<unknown>;

function setter(client: Record<string, unknown>, flavor: RedisClientFlavor): SetNx {
  const method = { 'node-redis': 'set', ioredis: 'set', 'send-command': 'sendCommand', call: 'call' }[flavor];
  if (typeof client[method] !== 'function') throw invalidArgType(`client.${method}`, `a function (options.flavor is '${flavor}')`);
  switch (flavor) {
    case 'node-redis': {
      const c = client as unknown as NodeRedisLikeClient;
      // v4 reads NX/EX; v5 reads condition/expiration first and keeps NX/EX
      // only as deprecated aliases. Passing both works on either.
      return (key, value, ttl) =>
        c.set(key, value, { NX: true, EX: ttl, condition: 'NX', expiration: { type: 'EX', value: ttl } });
    }
    case 'ioredis': {
      const c = client as unknown as IoRedisLikeClient;
      return (key, value, ttl) => c.set(key, value, 'EX', ttl, 'NX');
    }
    case 'send-command': {
      const c = client as unknown as SendCommandClient;
      return (key, value, ttl) => c.sendCommand(['SET', key, value, 'EX', String(ttl), 'NX']);
    }
    case 'call': {
      const c = client as unknown as CallClient;
      return (key, value, ttl) => c.call('SET', key, value, 'EX', String(ttl), 'NX');
    }
  }
}

/** `'OK'`: the key was set (first use); `null`: it exists (replay). Anything else is a fault, never a `true`. */
function firstUse(reply: unknown): boolean {
  const text = reply instanceof Uint8Array ? new TextDecoder().decode(reply) : reply;
  if (text === 'OK') return true;
  if (text === null) return false;
  throw unavailable(`an unexpected reply to SET … NX (${typeof reply}); check the client and options.flavor`);
}

/** Redis could not answer: 503, so the client retries; never an unchecked request. */
function unavailable(why: string, cause?: unknown) {
  return storeUnavailable(STORE, why, cause);
}

/**
 * Creates a {@link NonceStore} on Redis, shared by every process that uses
 * the same Redis and prefix.
 *
 * Each `consume(key, ttlSeconds)` is one atomic `SET prefix+key 1 EX ttl NX`:
 * `'OK'` answers `true` (first use), `null` answers `false` (a replay). The
 * TTL is rounded up to whole seconds, at least 1. A key longer than 200
 * UTF-8 bytes is stored as `prefix + 'sha256:' + base64(SHA-256(key))`
 * (a shorter key that itself starts with `sha256:` is hashed too, so the two
 * forms never meet).
 *
 * The client's flavour is detected when `options.flavor` is left out, in this
 * order:
 *
 * 1. ioredis (`Redis`, `Cluster`): a `status` string and a `call` method;
 * 2. node-redis v4+ (client, cluster): an `isOpen` boolean and a `set` method;
 * 3. any object with `call(command, ...args)`;
 * 4. any object with `sendCommand(args)`.
 *
 * Set `options.flavor` for a wrapper that looks like none of these. In
 * node-redis' v4 `legacyMode`, pass `client.v4`.
 *
 * The client must be connected (or queue commands, as ioredis does). When
 * Redis does not answer within `options.timeout` (500 ms by default), or the
 * client fails, or the reply is neither `'OK'` nor `null`, the promise
 * rejects with a 503 `temporarily_unavailable` {@link OAuthError} carrying
 * `Retry-After` (the client's error as its `cause`): every adapter answers
 * it, and the request is never accepted unchecked.
 *
 * @example node-redis
 * ```ts
 * import { createClient } from 'redis';
 * import { createVerifier } from 'oauth1';
 * import { createRedisNonceStore } from 'oauth1/redis';
 *
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 * const verifier = createVerifier({ lookupClient, nonceStore: createRedisNonceStore(redis) });
 * ```
 * @example ioredis, with a prefix per application
 * ```ts
 * import { Redis } from 'ioredis';
 * const nonceStore = createRedisNonceStore(new Redis(process.env.REDIS_URL!), { prefix: 'shop:nonce:' });
 * ```
 * @see RFC 5849 §3.3
 * @group Nonce stores
 */
export function createRedisNonceStore(client: RedisLikeClient, options: RedisNonceStoreOptions = {}): RedisNonceStore {
  if ((typeof client !== 'object' && typeof client !== 'function') || client === null) {
    throw invalidArgType('client', 'a node-redis or ioredis client, or an object with sendCommand(args) or call(command, ...args)');
  }
  object(options, 'options');
  const prefix = optionalString(options.prefix, 'options.prefix') ?? DEFAULT_PREFIX;
  const flavor = options.flavor === undefined ? undefined : oneOf(options.flavor, 'options.flavor', FLAVORS);
  const timeout = positiveInteger(options.timeout, 'options.timeout', 500, 'milliseconds');
  const c = client as unknown as Record<string, unknown>;
  const chosen = flavor ?? detectFlavor(c, 'set');
  if (chosen === undefined) {
    throw invalidArgType('client', 'a node-redis or ioredis client, or an object with sendCommand(args) or call(command, ...args)');
  }
  const set = setter(c, chosen);

  return {
    async consume(key: string, ttlSeconds: number): Promise<boolean> {
      checkConsumeArguments(key, ttlSeconds);
      const ttl = Math.max(1, Math.ceil(ttlSeconds));
      return firstUse(await withinTime(set(prefix + (await storedKey(key)), '1', ttl), timeout, STORE));
    },
  };
}
