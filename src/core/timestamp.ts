/**
 * The one rule for `oauth_timestamp` (RFC 5849 §3.3): a positive integer
 * number of seconds since the epoch, in decimal without leading zeros, at
 * most 15 digits (so that it is always a safe integer). The signer refuses
 * what the verifier would refuse.
 * @module
 * @internal
 */

const TIMESTAMP = /^[1-9][0-9]{0,14}$/;

/** The timestamp a text states, or undefined when it breaks the rule. */
export function parseTimestamp(text: string): number | undefined {
  return TIMESTAMP.test(text) ? Number(text) : undefined;
}

/** The rule, in words, for messages. */
export const TIMESTAMP_RULE = 'a positive integer number of seconds since the epoch (at most 15 digits)';

/** Seconds since the epoch, now (or at `now` milliseconds). */
export function currentTimestamp(now: number = Date.now()): string {
  return String(Math.floor(now / 1000));
}
