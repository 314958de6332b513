/**
 * A value, or a promise of it: callbacks and stores may answer synchronously
 * or asynchronously.
 *
 * @example A store that answers synchronously is still a `NonceStore`
 * ```ts
 * const answer: Awaitable<boolean> = true;
 * ```
 * @group Nonce stores
 */
export type Awaitable<T> = T | PromiseLike<T>;
