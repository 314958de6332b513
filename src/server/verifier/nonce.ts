/**
 * Phase 7 of a verification: the nonce, consumed only for a request that
 * passed every other check, so unauthenticated traffic cannot fill the
 * store (RFC 5849 §3.3).
 * @module
 * @internal
 */
import { percentEncode } from '../../core/encoding.js';
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

/** Remembers the nonce; refuses a request whose nonce is remembered already (a replay). */
export async function consumeNonce(params: ProtocolParams, config: VerifierConfig<any, any>): Promise<void> {
  if (params.nonce === undefined && params.timestamp === undefined) return;
  let first: boolean;
  try {
    first = (await config.nonceStore.consume(nonceKey(params), config.nonceTtl)) === true;
  } catch (err) {
    throw unavailable(err);
  }
  if (!first) throw refuse('nonce', 401, 'nonce_used', 'this nonce has been used already', { parametersRejected: ['oauth_nonce'] });
}
