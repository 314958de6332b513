/**
 * Phase 7 of a verification: the nonce, consumed only for a request that
 * passed every other check, so unauthenticated traffic cannot fill the
 * store (RFC 5849 §3.3).
 * @module
 * @internal
 */
import { percentEncode } from '../../core/encoding.js';
import { isPromiseLike, type Awaitable } from '../../core/awaitable.js';
import { OAuthError } from '../../core/errors.js';
import type { VerifierConfig } from './config.js';
import { refuse } from './failure.js';
import type { ProtocolParams } from './protocol-params.js';

/** The store key of a request: client, token, timestamp and nonce, encoded so no two requests share one. */
export function nonceKey(params: ProtocolParams): string {
  return `${percentEncode(params.consumerKey)}&${percentEncode(params.token ?? '')}&${params.timestampText ?? ''}&${percentEncode(params.nonce ?? '')}`;
}

/** A store that could not answer: the request is not accepted unchecked, and the client may retry (503). */
function unavailable(cause: unknown): OAuthError {
  if (cause instanceof OAuthError) return cause;
  return new OAuthError(503, 'temporarily_unavailable', 'the server cannot check the nonce right now; retry later', { retryAfter: 1, cause });
}

/**
 * Remembers the nonce; refuses a request whose nonce is remembered already (a
 * replay). Synchronous when the store answers synchronously (the memory store).
 */
export function consumeNonce(params: ProtocolParams, config: VerifierConfig<any, any>): Awaitable<void> {
  if (params.nonce === undefined && params.timestamp === undefined) return;
  let answer: Awaitable<boolean>;
  try {
    answer = config.nonceStore.consume(nonceKey(params), config.nonceTtl);
  } catch (err) {
    throw unavailable(err);
  }
  if (isPromiseLike(answer)) {
    return Promise.resolve(answer).then(
      (first) => refuseReplay(first === true),
      (err: unknown) => {
        throw unavailable(err);
      },
    );
  }
  refuseReplay(answer === true);
}

function refuseReplay(first: boolean): void {
  if (!first) throw refuse('nonce', 401, 'nonce_used', 'this nonce has been used already', { parametersRejected: ['oauth_nonce'] });
}
