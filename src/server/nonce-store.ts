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
import { digestBase64, SYNC_CRYPTO } from '../methods/crypto/index.js';
import { object, optionalFn, positiveInteger, seconds, string } from '../core/validate.js';

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
  /**
   * How many bytes the remembered keys may take at once, as the store
   * counts them (a key is held as at most 128 characters — longer ones as their
   * SHA-256 — plus a fixed overhead per entry); default 32 MiB. When it is
   * reached, `consume` of a new key throws the same 503.
   */
  maxBytes?: number;
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
  /** How many bytes they take, as the store counts them (see {@link MemoryNonceStoreOptions.maxBytes}). */
  readonly bytes: number;
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
  string(key, 'key', { nonEmpty: true });
  if (ttlSeconds === undefined) throw invalidArgType('ttlSeconds', 'a number of seconds');
  seconds(ttlSeconds, 'ttlSeconds', 0, { positive: true });
}

/** Keys longer than this are held as their SHA-256, base64 (45 characters with its mark). */
const MAX_HELD_KEY = 128;
/** What the store counts per entry besides the key: two Map entries and a number, roughly. */
const ENTRY_OVERHEAD_BYTES = 96;
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/**
 * The key as the store holds it: short keys as they are, long ones as a hash
 * that cannot meet a short key. Where hashing is asynchronous (the web build)
 * a long key is held whole, marked the same way; its true size is counted.
 */
function heldKey(key: string): string {
  if (key.length <= MAX_HELD_KEY && !key.startsWith('#')) return key;
  return SYNC_CRYPTO ? `#${digestBase64('sha256', key)}` : `#${key}`;
}

function entryBytes(held: string): number {
  return ENTRY_OVERHEAD_BYTES + 2 * held.length;
}

/** The keys consumed with one TTL, oldest first, each with its expiry (ms). */
interface Queue {
  readonly ttlSeconds: number;
  readonly entries: Map<string, number>;
}

/**
 * Remembered keys in one queue per TTL. Keys with one TTL are inserted in
 * the order they expire, so each queue is swept from its oldest end.
 */
class ExpiringKeys {
  /** Every remembered key, and the queue that holds its expiry. */
  private readonly where = new Map<string, Queue>();
  /** One queue per TTL in use; an emptied queue is removed. */
  private readonly queues = new Map<number, Queue>();
  /** A lower bound on every remembered expiry, valid until the next insertion. */
  private noExpiryBefore = -Infinity;
  bytes = 0;

  get size(): number {
    return this.where.size;
  }

  /** The expiry of a remembered key (expired or not), or undefined. */
  expiry(key: string): number | undefined {
    return this.where.get(key)?.entries.get(key);
  }

  forget(key: string): void {
    const queue = this.where.get(key);
    if (queue === undefined) return;
    queue.entries.delete(key);
    this.where.delete(key);
    this.bytes -= entryBytes(key);
    if (queue.entries.size === 0) this.queues.delete(queue.ttlSeconds);
  }

  /** Drops the expired keys at the oldest end of the queue of `ttlSeconds`; returns the expiry of the oldest kept. */
  sweep(ttlSeconds: number, t: number): number {
    const queue = this.queues.get(ttlSeconds);
    if (queue === undefined) return Infinity;
    // Deleting the entry being visited is safe while iterating a Map.
    for (const [key, expires] of queue.entries) {
      if (expires > t) return expires;
      this.forget(key);
    }
    return Infinity;
  }

  /** Sweeps every queue, unless the last full sweep showed that nothing expires before `t`. */
  sweepAll(t: number): void {
    if (t < this.noExpiryBefore) return;
    let earliest = Infinity;
    for (const ttl of [...this.queues.keys()]) earliest = Math.min(earliest, this.sweep(ttl, t));
    this.noExpiryBefore = earliest;
  }

  add(key: string, ttlSeconds: number, t: number): void {
    let queue = this.queues.get(ttlSeconds);
    if (queue === undefined) {
      queue = { ttlSeconds, entries: new Map() };
      this.queues.set(ttlSeconds, queue);
    }
    queue.entries.set(key, t + ttlSeconds * 1000);
    this.where.set(key, queue);
    this.bytes += entryBytes(key);
    this.noExpiryBefore = -Infinity;
  }

  clear(): void {
    this.where.clear();
    this.queues.clear();
    this.bytes = 0;
    this.noExpiryBefore = -Infinity;
  }
}

/**
 * Creates the bounded in-memory {@link NonceStore} (the verifier's default).
 *
 * - A key is remembered for `ttlSeconds` from its first use; after that it is
 *   forgotten and `consume` answers `true` again.
 * - It holds at most `maxEntries` unexpired keys, and at most `maxBytes` of
 *   them: a key longer than 128 characters is held as its SHA-256 (base64),
 *   so no key costs more than a fixed size. When it is full it neither
 *   forgets a live key early nor lets a request through unchecked: `consume`
 *   of a new key throws `new OAuthError(503, 'temporarily_unavailable', …)`
 *   (with `Retry-After`) until some keys expire. (A replay of a remembered
 *   key is still answered `false`.)
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
  object(options, 'options');
  const maxEntries = positiveInteger(options.maxEntries, 'options.maxEntries', DEFAULT_MAX_ENTRIES);
  const maxBytes = positiveInteger(options.maxBytes, 'options.maxBytes', DEFAULT_MAX_BYTES);
  const clock = optionalFn<() => number>(options.clock, 'options.clock') ?? Date.now;
  const keys = new ExpiringKeys();
  /** The latest clock reading: the store's time never goes backwards. */
  let latest = -Infinity;

  function now(): number {
    const t: unknown = clock();
    if (typeof t !== 'number' || !Number.isFinite(t)) {
      throw invalidArgValue('options.clock', `must return a finite number of milliseconds, returned ${String(t)}`);
    }
    if (t > latest) latest = t;
    return latest;
  }

  const full = (held: string): boolean => keys.size >= maxEntries || keys.bytes + entryBytes(held) > maxBytes;

  return {
    consume(key: string, ttlSeconds: number): boolean {
      checkConsumeArguments(key, ttlSeconds);
      const t = now();
      const held = heldKey(key);
      const expires = keys.expiry(held);
      if (expires !== undefined && expires > t) return false;
      keys.forget(held);
      keys.sweep(ttlSeconds, t);
      if (full(held)) keys.sweepAll(t);
      if (full(held)) {
        throw new OAuthError(503, 'temporarily_unavailable', 'the server cannot accept new nonces right now; retry later', { retryAfter: 1 });
      }
      keys.add(held, ttlSeconds, t);
      return true;
    },

    get size(): number {
      keys.sweepAll(now());
      return keys.size;
    },

    get bytes(): number {
      keys.sweepAll(now());
      return keys.bytes;
    },

    clear(): void {
      keys.clear();
    },
  };
}
