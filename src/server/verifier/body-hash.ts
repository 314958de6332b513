/**
 * Phase 6 of a verification: `oauth_body_hash` of a body that is not a form
 * (OAuth Request Body Hash §4.1).
 * @module
 * @internal
 */
import { constantTimeEqual } from '../../methods/crypto/index.js';
import { refuse } from './failure.js';
import type { ProtocolParams } from './protocol-params.js';

/** Refuses a body whose hash does not match the one sent (compared in constant time). */
export async function checkBodyHash(params: ProtocolParams): Promise<void> {
  const hash = params.bodyHash;
  if (hash !== undefined && !constantTimeEqual(await hash.expected, hash.sent)) {
    throw refuse('body_hash', 401, 'signature_invalid', 'oauth_body_hash does not match the body', { parametersRejected: ['oauth_body_hash'] });
  }
}
