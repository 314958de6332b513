/**
 * Phase 3 of a verification: the timestamp window (RFC 5849 §3.3).
 * @module
 * @internal
 */
import type { VerifierConfig } from './config.js';
import { refuse } from './failure.js';
import type { ProtocolParams } from './protocol-params.js';

/** Refuses a timestamp further than the window allows from the server's clock (a request without one passes: PLAINTEXT). */
export function checkTimestampWindow(params: ProtocolParams, config: VerifierConfig<any, any>): void {
  const { timestamp } = params;
  if (timestamp === undefined) return;
  const now = Math.floor(config.clock() / 1000);
  if (timestamp < now - config.past || timestamp > now + config.future) {
    throw refuse('timestamp', 401, 'timestamp_refused', 'oauth_timestamp is outside the accepted window; check the client clock', {
      acceptableTimestamps: `${now - Math.floor(config.past)}-${now + Math.floor(config.future)}`,
    });
  }
}
