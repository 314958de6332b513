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
