/**
 * A value, or a promise of it: callbacks and stores may answer synchronously
 * or asynchronously.
 *
 * @example A store that answers synchronously is still a NonceStore
 * ```ts
 * const answer: Awaitable<boolean> = true;
 * ```
 * @group Nonce stores
 */
export type Awaitable<T> = T | PromiseLike<T>;

/**
 * Whether a callback's answer is a promise (or any thenable) to wait for.
 * The verifier awaits only those, so that callbacks and stores that answer
 * synchronously cost no turn of the event loop.
 * @internal
 */
export function isPromiseLike<T>(value: Awaitable<T>): value is PromiseLike<T> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
