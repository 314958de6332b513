/**
 * The contract of a {@link NonceStore}, as checks any store can run.
 * @module
 * @internal
 */
import type { Awaitable } from '../core/awaitable.js';
import { fn, object, positiveInteger } from '../core/validate.js';
import type { NonceStore } from '../server/nonce-store.js';
import { check, uniqueKey, type ContractCheck } from './contract.js';

/**
 * Options of {@link nonceStoreContract}.
 *
 * @example
 * ```ts
 * const options: NonceStoreContractOptions = { makeStore: () => createRedisNonceStore(redis, { prefix: 'test:' }) };
 * ```
 * @group Testing
 */
export interface NonceStoreContractOptions {
  /** A store for one check (fresh or shared: every check uses keys of its own). */
  makeStore(): Awaitable<NonceStore>;
  /** Concurrent calls in the race check. Default 8. */
  concurrency?: number;
}

const TTL = 600;

/**
 * The checks a {@link NonceStore} must pass: a key is accepted once and
 * refused while its TTL runs, of concurrent uses of one key exactly one is
 * accepted, and keys of any length never collide.
 *
 * @example vitest or jest
 * ```ts
 * import { nonceStoreContract } from 'oauth1/testing';
 * for (const c of nonceStoreContract({ makeStore: () => myNonceStore })) it(c.name, c.run);
 * ```
 * @see RFC 5849 §3.3
 * @group Testing
 */
export function nonceStoreContract(options: NonceStoreContractOptions): ContractCheck[] {
  object(options, 'options');
  const make = fn<() => Awaitable<NonceStore>>(options.makeStore, 'options.makeStore');
  const concurrency = positiveInteger(options.concurrency, 'options.concurrency', 8);
  return [
    { name: 'a key is accepted once, then refused while its TTL runs; another key is accepted', async run() {
      const store = await make();
      const key = uniqueKey('ck&tk&1700000000&n');
      check((await store.consume(key, TTL)) === true, 'the first use of a key was refused');
      check((await store.consume(key, TTL)) === false, 'a replay was accepted');
      check((await store.consume(`${key}x`, TTL)) === true, 'another key was refused');
    } },
    { name: `of ${concurrency} concurrent uses of one key, exactly one is accepted`, async run() {
      const store = await make();
      const key = uniqueKey('race');
      const results = await Promise.all(Array.from({ length: concurrency }, () => store.consume(key, TTL)));
      const accepted = results.filter((r) => r === true).length;
      check(accepted === 1, `${accepted} of ${concurrency} concurrent uses were accepted`);
    } },
    { name: 'long keys (2000 characters) differing only in their last character do not collide', async run() {
      const store = await make();
      const base = uniqueKey('n'.repeat(2000));
      check((await store.consume(`${base}a`, TTL)) === true, 'a long key was refused');
      check((await store.consume(`${base}b`, TTL)) === true, 'two long keys collided');
      check((await store.consume(`${base}a`, TTL)) === false, 'a long key was accepted twice');
    } },
  ];
}
