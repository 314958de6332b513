/**
 * What the Redis stores share: how a client is driven (its flavour, found by
 * its shape), how long keys are stored, and how a slow or failing Redis is
 * answered (503 `temporarily_unavailable` with `Retry-After`, never an
 * unchecked request).
 * @module
 * @internal
 */
import { utf8ByteLength } from '../core/encoding.js';
import { digestBase64Async } from '../methods/crypto/index.js';
import { OAuthError, invalidArgType } from '../core/errors.js';

/**
 * How a store talks to the client:
 *
 * - `'node-redis'`: the nonce store calls `client.set(key, value, { NX: true, EX: ttl, … })`,
 *   the provider store `client.sendCommand([…])`
 * - `'ioredis'`: `client.set(key, value, 'EX', ttl, 'NX')`, and `client.call(…)`
 * - `'send-command'`: `client.sendCommand(['SET', key, value, 'EX', ttl, 'NX'])`
 * - `'call'`: `client.call('SET', key, value, 'EX', ttl, 'NX')`
 *
 * @example
 * ```ts
 * const flavor: RedisClientFlavor = 'send-command';
 * ```
 * @see RFC 5849 §3.3
 * @group Nonce stores
 */
export type RedisClientFlavor = 'node-redis' | 'ioredis' | 'send-command' | 'call';

export const FLAVORS: readonly RedisClientFlavor[] = ['node-redis', 'ioredis', 'send-command', 'call'];

/** The flavour a client has, by its documented shape. */
export function detectFlavor(client: Record<string, unknown>, nodeRedisMethod: 'set' | 'sendCommand'): RedisClientFlavor | undefined {
  // ioredis' `Redis` and `Cluster` both document a `status` string and have `call`.
  if (typeof client['status'] === 'string' && typeof client['call'] === 'function') return 'ioredis';
  // node-redis v4+ clients and clusters both document an `isOpen` boolean.
  if (typeof client['isOpen'] === 'boolean' && typeof client[nodeRedisMethod] === 'function') return 'node-redis';
  if (typeof client['call'] === 'function') return 'call';
  if (typeof client['sendCommand'] === 'function') return 'send-command';
  return undefined;
}

/** One raw command: `['EVAL', script, '1', key, …]`. */
export type SendCommand = (args: string[]) => PromiseLike<unknown>;

/** Sends raw commands the way the flavour does (node-redis clients through `sendCommand(args)`). */
export function commandSender(client: Record<string, unknown>, flavor: RedisClientFlavor): SendCommand {
  const method = flavor === 'ioredis' || flavor === 'call' ? 'call' : 'sendCommand';
  const send = client[method];
  if (typeof send !== 'function') throw invalidArgType(`client.${method}`, `a function (options.flavor is '${flavor}')`);
  return method === 'call' ? (args) => send.call(client, ...args) : (args) => send.call(client, args);
}

/** Keys longer than this (UTF-8 bytes) are stored as their SHA-256. */
const MAX_RAW_KEY_BYTES = 200;
const HASHED_MARK = 'sha256:';

/** A key as stored: itself, or `sha256:` + its SHA-256 when long (or when it starts with the mark itself, so the two never meet). */
export async function storedKey(key: string): Promise<string> {
  return utf8ByteLength(key) > MAX_RAW_KEY_BYTES || key.startsWith(HASHED_MARK) ? HASHED_MARK + (await digestBase64Async('sha256', key)) : key;
}

/** Redis could not answer: 503, so the client retries; never an unchecked request. */
export function unavailable(store: string, why: string, cause?: unknown): OAuthError {
  return new OAuthError(503, 'temporarily_unavailable', `the ${store} is unavailable (${why}); retry later`, {
    retryAfter: 1,
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** The reply of `pending`, or a 503 once `ms` have passed or the client failed. */
export async function withinTime<T>(pending: PromiseLike<T>, ms: number, store: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(unavailable(store, `no answer within ${ms} ms`)), ms);
    // Never keep a process alive for a timer that only guards a request.
    (timer as { unref?: () => void }).unref?.();
  });
  try {
    return await Promise.race([Promise.resolve(pending).catch((err: unknown) => Promise.reject(unavailable(store, 'the client failed', err))), late]);
  } finally {
    clearTimeout(timer);
  }
}
