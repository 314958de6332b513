/**
 * Nonce stores: where a verifier remembers the requests it has accepted, so a
 * captured request cannot be replayed (RFC 5849 §3.3). This module holds the
 * interface every store implements and the bounded in-memory store that
 * `createVerifier` uses by default; `oauth1/redis` holds the one for many
 * processes.
 *
 * @module
 */
import type { Awaitable } from '../core/awaitable.js';
import { OAuthError, invalidArgType, invalidArgValue } from '../core/errors.js';

export type { Awaitable } from '../core/awaitable.js';

/**
 * Remembers nonce keys for a while, so a request is accepted once.
 *
 * `consume(key, ttlSeconds)` answers `true` the first time `key` is seen
 * within `ttlSeconds` (the key is now remembered for that long), `false`
 * while it is still remembered (a replay), and `true` again once it has
 * expired. It must be atomic: of two concurrent calls with one key, at most
 * one answers `true`. A store that cannot answer throws (or rejects); it must
 * never answer `true` because it could not check.
 *
 * The verifier calls it only for requests whose signature is valid, with a
 * key made of the client key, token, timestamp and nonce, and a TTL that
 * covers its timestamp window.
 *
 * @example A custom store over a database table with a unique constraint
 * ```ts
 * const store: NonceStore = {
 *   async consume(key, ttlSeconds) {
 *     const inserted = await db.insertIgnore('nonces', { key, expiresAt: Date.now() + ttlSeconds * 1000 });
 *     return inserted === 1;
 *   },
 * };
 * const verifier = createVerifier({ lookupClient, nonceStore: store });
 * ```
 * @see RFC 5849 §3.3
 * @group Nonce stores
 */
export interface NonceStore {
  /**
   * `true`: first use of `key` within `ttlSeconds` (now remembered);
   * `false`: `key` is still remembered (a replay).
   */
  consume(key: string, ttlSeconds: number): Awaitable<boolean>;
}

/**
 * Options of {@link createMemoryNonceStore}.
 *
 * @example
 * ```ts
 * const options: MemoryNonceStoreOptions = { maxEntries: 10_000 };
 * ```
 * @see RFC 5849 §3.3
 * @group Nonce stores
 */
export interface MemoryNonceStoreOptions {
  /**
   * How many unexpired keys the store may hold at once; default `100_000`.
   * When it is full of unexpired keys, `consume` throws a 503
   * `temporarily_unavailable` {@link OAuthError}.
   */
  maxEntries?: number;
  /** Milliseconds since the epoch; default `Date.now`. Inject one for tests. */
  clock?: () => number;
}

/**
 * The in-memory {@link NonceStore}: synchronous, bounded, for one process.
 *
 * @example
 * ```ts
 * const store: MemoryNonceStore = createMemoryNonceStore();
 * store.consume('k&t&1700000000&n1', 600); // true
 * store.size;                               // 1
 * ```
 * @see RFC 5849 §3.3
 * @group Nonce stores
 */
export interface MemoryNonceStore extends NonceStore {
  /**
   * `true` the first time `key` is seen within `ttlSeconds`, `false` while it
   * is remembered. Throws a 503 `temporarily_unavailable` {@link OAuthError}
   * when the store is full of unexpired keys, and a `TypeError` for a key that
   * is not a non-empty string or a TTL that is not a positive finite number.
   */
  consume(key: string, ttlSeconds: number): boolean;
  /** How many keys are remembered now (expired ones are dropped first). */
  readonly size: number;
  /** Forgets every key. */
  clear(): void;
}

/** Default of {@link MemoryNonceStoreOptions.maxEntries}. */
const DEFAULT_MAX_ENTRIES = 100_000;

/**
 * Checks the arguments of `NonceStore.consume`: shared by the stores so they
 * reject the same mistakes with the same errors.
 *
 * @internal
 */
export function checkConsumeArguments(key: unknown, ttlSeconds: unknown): void {
  if (typeof key !== 'string') throw invalidArgType('key', 'a non-empty string');
  if (key.length === 0) throw invalidArgValue('key', 'must not be empty');
  if (typeof ttlSeconds !== 'number') throw invalidArgType('ttlSeconds', 'a number');
  if (!(ttlSeconds > 0) || !Number.isFinite(ttlSeconds)) {
    throw invalidArgValue('ttlSeconds', `must be a positive finite number of seconds, received ${ttlSeconds}`);
  }
}

/** The keys consumed with one TTL, oldest first, each with its expiry (ms). */
interface Queue {
  readonly ttlSeconds: number;
  readonly entries: Map<string, number>;
}

/**
 * Creates the bounded in-memory {@link NonceStore} (the verifier's default).
 *
 * - A key is remembered for `ttlSeconds` from its first use; after that it is
 *   forgotten and `consume` answers `true` again.
 * - It holds at most `maxEntries` unexpired keys. When it is full of them it
 *   neither forgets a live key early nor lets a request through unchecked:
 *   `consume` of a new key throws
 *   `new OAuthError(503, 'temporarily_unavailable', …)` until some keys
 *   expire. (A replay of a remembered key is still answered `false`.)
 * - Each call costs O(1) amortized: keys with the same TTL sit in a
 *   `Map` in insertion order, so they also expire in that order and are
 *   swept from the oldest end. Keys with different TTLs go to different
 *   queues, so a long TTL never holds back the expiry of shorter ones;
 *   only when the store is full are all queues swept (one pass over the
 *   distinct TTLs, which the verifier keeps to one).
 * - Time never runs backwards inside the store: a clock that steps back is
 *   treated as standing still until it catches up, so no key is forgotten
 *   early.
 * - It lives in one process. Behind a load balancer, or with several
 *   workers, use a shared store such as `createRedisNonceStore` from
 *   `oauth1/redis`.
 *
 * Options are checked here, once: a wrong one throws a `TypeError` with a
 * Node-style `code` that names it (e.g. `"options.maxEntries"`).
 *
 * @example Default store, and one sized and clocked for a test
 * ```ts
 * const verifier = createVerifier({ lookupClient, nonceStore: createMemoryNonceStore({ maxEntries: 50_000 }) });
 *
 * let now = 0;
 * const store = createMemoryNonceStore({ clock: () => now });
 * store.consume('key', 60); // true
 * store.consume('key', 60); // false: a replay
 * now += 60_000;
 * store.consume('key', 60); // true: it expired
 * ```
 * @see RFC 5849 §3.3
 * @group Nonce stores
 */
export function createMemoryNonceStore(options: MemoryNonceStoreOptions = {}): MemoryNonceStore {
  if (typeof options !== 'object' || options === null) throw invalidArgType('options', 'an object');
  const { maxEntries = DEFAULT_MAX_ENTRIES, clock = Date.now } = options;
  if (typeof maxEntries !== 'number') throw invalidArgType('options.maxEntries', 'a number');
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw invalidArgValue('options.maxEntries', `must be a positive integer, received ${maxEntries}`);
  }
  if (typeof clock !== 'function') throw invalidArgType('options.clock', 'a function that returns milliseconds since the epoch');

  /** Every remembered key, and the queue that holds its expiry. */
  const where = new Map<string, Queue>();
  /** One queue per TTL in use; an emptied queue is removed. */
  const queues = new Map<number, Queue>();
  /** The latest clock reading: the store's time never goes backwards. */
  let latest = -Infinity;
  /** A lower bound on every remembered expiry, valid until the next insertion. */
  let noExpiryBefore = -Infinity;

  function now(): number {
    const t: unknown = clock();
    if (typeof t !== 'number' || !Number.isFinite(t)) {
      throw invalidArgValue('options.clock', `must return a finite number of milliseconds, returned ${String(t)}`);
    }
    if (t > latest) latest = t;
    return latest;
  }

  /** Drops the expired keys at the oldest end of `queue`; returns the expiry of the oldest kept. */
  function sweep(queue: Queue, t: number): number {
    // Deleting the entry being visited is safe while iterating a Map.
    for (const [key, expires] of queue.entries) {
      if (expires > t) return expires;
      queue.entries.delete(key);
      where.delete(key);
    }
    queues.delete(queue.ttlSeconds);
    return Infinity;
  }

  function sweepAll(t: number): void {
    let earliest = Infinity;
    for (const queue of queues.values()) earliest = Math.min(earliest, sweep(queue, t));
    noExpiryBefore = earliest;
  }

  function forget(key: string, queue: Queue): void {
    queue.entries.delete(key);
    where.delete(key);
    if (queue.entries.size === 0) queues.delete(queue.ttlSeconds);
  }

  return {
    consume(key: string, ttlSeconds: number): boolean {
      checkConsumeArguments(key, ttlSeconds);
      const t = now();

      const held = where.get(key);
      if (held !== undefined) {
        if (held.entries.get(key)! > t) return false;
        forget(key, held);
      }

      let queue = queues.get(ttlSeconds);
      if (queue !== undefined) sweep(queue, t);
      if (where.size >= maxEntries) {
        // Full: sweep every queue, unless the last sweep showed nothing expires yet.
        if (t >= noExpiryBefore) sweepAll(t);
        if (where.size >= maxEntries) {
          throw new OAuthError(503, 'temporarily_unavailable', 'the server cannot accept new nonces right now; retry later');
        }
      }

      queue = queues.get(ttlSeconds);
      if (queue === undefined) {
        queue = { ttlSeconds, entries: new Map() };
        queues.set(ttlSeconds, queue);
      }
      queue.entries.set(key, t + ttlSeconds * 1000);
      where.set(key, queue);
      noExpiryBefore = -Infinity;
      return true;
    },

    get size(): number {
      sweepAll(now());
      return where.size;
    },

    clear(): void {
      where.clear();
      queues.clear();
      noExpiryBefore = -Infinity;
    },
  };
}
