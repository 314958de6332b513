import { describe, expect, it } from 'vitest';
import { createMemoryNonceStore, OAuthError } from '../src/index.js';

describe('createMemoryNonceStore', () => {
  it('accepts a key once, refuses it while remembered, accepts it after expiry', () => {
    let now = 1_000_000;
    const store = createMemoryNonceStore({ clock: () => now });
    expect(store.consume('a', 10)).toBe(true);
    expect(store.consume('a', 10)).toBe(false);
    now += 9_999;
    expect(store.consume('a', 10)).toBe(false);
    now += 1;
    expect(store.consume('a', 10)).toBe(true);
  });
  it('drops expired entries, also behind a longer-lived one', () => {
    let now = 0;
    const store = createMemoryNonceStore({ clock: () => now, maxEntries: 3 });
    store.consume('long', 100);
    store.consume('short1', 1);
    store.consume('short2', 1);
    now = 2_000;
    // Full of entries, two of them expired: a full pass frees room.
    expect(store.consume('new', 1)).toBe(true);
    expect(store.size).toBe(2);
    expect(store.consume('long', 100)).toBe(false);
  });
  it('when full of live nonces, throws 503 instead of evicting (no replay gets through)', () => {
    const now = 0;
    const store = createMemoryNonceStore({ clock: () => now, maxEntries: 2 });
    store.consume('a', 60);
    store.consume('b', 60);
    let err: unknown;
    try {
      store.consume('c', 60);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ status: 503, problem: 'temporarily_unavailable' });
    expect(store.consume('a', 60)).toBe(false);
    expect(store.consume('b', 60)).toBe(false);
  });
  it('clear() forgets everything', () => {
    const store = createMemoryNonceStore();
    store.consume('a', 60);
    store.clear();
    expect(store.size).toBe(0);
    expect(store.consume('a', 60)).toBe(true);
  });
  it('names bad options and arguments', () => {
    expect(() => createMemoryNonceStore({ maxEntries: 0 })).toThrowError(/"options.maxEntries"/);
    expect(() => createMemoryNonceStore({ clock: 1 as never })).toThrowError(/"options.clock"/);
    const store = createMemoryNonceStore();
    expect(() => store.consume('', 1)).toThrowError(/"key"/);
    expect(() => store.consume('a', 0)).toThrowError(/"ttlSeconds"/);
  });
});

describe('createMemoryNonceStore: expiry, capacity and arguments', () => {
  function full503(fn: () => unknown): void {
    let err: unknown;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ status: 503, problem: 'temporarily_unavailable' });
  }

  it('remembers a key for its own TTL, whatever TTL a later call asks for', () => {
    let now = 0;
    const store = createMemoryNonceStore({ clock: () => now });
    expect(store.consume('k', 100)).toBe(true);
    now = 50_000;
    expect(store.consume('k', 1)).toBe(false);
    now = 100_000;
    expect(store.consume('k', 1)).toBe(true);
    now = 100_999;
    expect(store.consume('k', 1)).toBe(false);
    now = 101_000;
    expect(store.consume('k', 1)).toBe(true);
  });

  it('expires keys with short TTLs that were added after one with a long TTL (non-monotone expiry)', () => {
    let now = 0;
    const store = createMemoryNonceStore({ clock: () => now });
    store.consume('long', 3600);
    for (let i = 0; i < 100; i++) store.consume(`short-${i}`, 1);
    store.consume('medium', 10);
    expect(store.size).toBe(102);
    now = 1_000;
    expect(store.size).toBe(2);
    expect(store.consume('short-0', 1)).toBe(true);
    now = 10_000;
    expect(store.size).toBe(1); // only 'long': short-0 (renewed at 1 s) and medium have expired
    expect(store.consume('long', 3600)).toBe(false);
  });

  it('makes room when the shortest-lived of several TTL queues expires, and not before', () => {
    let now = 0;
    const store = createMemoryNonceStore({ clock: () => now, maxEntries: 3 });
    store.consume('a', 300);
    store.consume('b', 20);
    store.consume('c', 100);
    now = 19_999;
    full503(() => store.consume('d', 5));
    full503(() => store.consume('d', 5)); // answered again without forgetting anything
    expect(store.consume('a', 300)).toBe(false);
    expect(store.consume('b', 20)).toBe(false);
    expect(store.consume('c', 100)).toBe(false);
    now = 20_000;
    expect(store.consume('d', 5)).toBe(true);
    full503(() => store.consume('e', 5));
    full503(() => store.consume('b', 20)); // b expired, and its room went to d
  });

  it('never accepts a replay while full, and accepts new keys again after expiry', () => {
    let now = 0;
    const store = createMemoryNonceStore({ clock: () => now, maxEntries: 100 });
    for (let i = 0; i < 100; i++) expect(store.consume(`n${i}`, 60)).toBe(true);
    for (let i = 0; i < 100; i++) expect(store.consume(`n${i}`, 60)).toBe(false);
    full503(() => store.consume('new', 60));
    expect(store.size).toBe(100);
    now = 60_000;
    expect(store.consume('new', 60)).toBe(true);
    expect(store.size).toBe(1);
  });

  it('does not forget a key early when the clock steps back', () => {
    let now = 100_000;
    const store = createMemoryNonceStore({ clock: () => now });
    expect(store.consume('k', 10)).toBe(true);
    now = 50_000; // the clock jumps back 50 s
    expect(store.consume('k', 10)).toBe(false);
    now = 105_000;
    expect(store.consume('k', 10)).toBe(false);
    now = 110_000;
    expect(store.consume('k', 10)).toBe(true);
  });

  it('stays within maxEntries over a long run (each key swept once)', () => {
    let now = 0;
    const store = createMemoryNonceStore({ clock: () => now, maxEntries: 1_000 });
    for (let i = 0; i < 200_000; i++) {
      now += 1;
      expect(store.consume(`k${i}`, 1)).toBe(true);
    }
    expect(store.size).toBe(1_000);
  });

  it.each<[string, unknown, string, string]>([
    ['options not an object', 5, '"options" must be an object', 'ERR_INVALID_ARG_TYPE'],
    ['maxEntries a string', { maxEntries: '10' }, '"options.maxEntries" must be a number', 'ERR_INVALID_ARG_TYPE'],
    ['maxEntries fractional', { maxEntries: 1.5 }, '"options.maxEntries" must be a positive integer', 'ERR_INVALID_ARG_VALUE'],
    ['maxEntries negative', { maxEntries: -1 }, '"options.maxEntries" must be a positive integer', 'ERR_INVALID_ARG_VALUE'],
    ['maxEntries NaN', { maxEntries: Number.NaN }, '"options.maxEntries" must be a positive integer', 'ERR_INVALID_ARG_VALUE'],
    ['clock not a function', { clock: 'Date.now' }, '"options.clock" must be a function', 'ERR_INVALID_ARG_TYPE'],
  ])('rejects bad options at creation: %s', (_name, options, message, code) => {
    let err: unknown;
    try {
      createMemoryNonceStore(options as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TypeError);
    expect(err).toMatchObject({ code });
    expect((err as Error).message).toContain(message);
  });

  it.each<[string, unknown, unknown, string, string]>([
    ['key not a string', 42, 60, '"key" must be a non-empty string', 'ERR_INVALID_ARG_TYPE'],
    ['key empty', '', 60, '"key" must not be empty', 'ERR_INVALID_ARG_VALUE'],
    ['ttl a string', 'k', '60', '"ttlSeconds" must be a number', 'ERR_INVALID_ARG_TYPE'],
    ['ttl zero', 'k', 0, '"ttlSeconds" must be a positive finite number', 'ERR_INVALID_ARG_VALUE'],
    ['ttl negative', 'k', -5, '"ttlSeconds" must be a positive finite number', 'ERR_INVALID_ARG_VALUE'],
    ['ttl NaN', 'k', Number.NaN, '"ttlSeconds" must be a positive finite number', 'ERR_INVALID_ARG_VALUE'],
    ['ttl infinite', 'k', Infinity, '"ttlSeconds" must be a positive finite number', 'ERR_INVALID_ARG_VALUE'],
  ])('rejects bad consume arguments: %s', (_name, key, ttl, message, code) => {
    const store = createMemoryNonceStore();
    let err: unknown;
    try {
      store.consume(key as string, ttl as number);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TypeError);
    expect(err).toMatchObject({ code });
    expect((err as Error).message).toContain(message);
    expect(store.size).toBe(0);
  });

  it('rejects a clock that returns something other than a finite number', () => {
    const store = createMemoryNonceStore({ clock: () => Number.NaN });
    expect(() => store.consume('k', 60)).toThrowError(/"options.clock" must return a finite number/);
  });
});
