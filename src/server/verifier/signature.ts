/**
 * Phase 5 of a verification: the signature, computed over the server's own
 * base string whatever the lookups found (with a dummy secret or key where a
 * record is missing or unusable) and compared in constant time. Until it
 * verifies with the real secrets, every failure is answered alike (unless
 * `detailedErrors`); the exact cause goes to the debug hook.
 * @module
 * @internal
 */
import { joinBaseString, targetUri } from '../../core/base-string.js';
import type { OAuthError } from '../../core/errors.js';
import { signedParameters } from '../../core/parameters.js';
import type { Params } from '../../core/request.js';
import { dummyRsaPublicKeyAsync } from '../../methods/crypto/index.js';
import { verifyWith } from '../../methods/registry.js';
import type { VerifierConfig } from './config.js';
import { refuse, refuseNoting } from './failure.js';
import type { Found } from './lookup.js';
import type { ProtocolParams } from './protocol-params.js';
import type { ReceivedRequest } from './read-request.js';
import { judgeRecords, type Judged, type Problem } from './records.js';
import type { ClientRecord, TokenRecord } from './types.js';

/** The signed parameters and base string of a request. */
export interface SignedView {
  params: Params;
  baseString: string;
}

/** The server's base string for the request (RFC 5849 §3.4.1), from the URL as received. */
export function serverBaseString(received: ReceivedRequest): SignedView {
  const params = signedParameters(received.sources);
  return { params, baseString: joinBaseString(received.method, targetUri(received.url), params) };
}

/**
 * Whether the signature verifies with the judged keys; a key or method that
 * throws is a configuration problem, not a 500. The asynchronous form of the
 * method: the only one the web build's crypto has, and on Node the same work
 * behind a resolved promise.
 */
async function signatureMatches(baseString: string, params: ProtocolParams, judged: Judged<any, any>, config: VerifierConfig<any, any>): Promise<{ valid: boolean; error?: string }> {
  const { definition: def, signature } = params;
  const tokenSecret = params.token === undefined ? '' : (judged.tokenSecret ?? config.dummySecret);
  try {
    if (def.kind === 'rsa') return { valid: await verifyWith(def, baseString, signature, { publicKey: judged.publicKey ?? (await dummyRsaPublicKeyAsync()) }) };
    return { valid: await verifyWith(def, baseString, signature, { clientSecret: judged.clientSecret ?? config.dummySecret, tokenSecret }) };
  } catch (err) {
    // A client's key that does not parse, or a custom method that throws: the data is wrong; the request is not accepted.
    return { valid: false, error: `the ${def.kind === 'rsa' ? "client's public key" : 'signature method'} could not be used (${(err as Error).message})` };
  }
}

function answer(p: Problem, configurationError: string | undefined): OAuthError {
  const err = refuse('lookup', 401, p.problem, p.message, { parametersRejected: [p.parameter] });
  return refuseNoting(err, { check: 'lookup', ...(configurationError !== undefined ? { configurationError } : {}) });
}

function invalid(cause: Problem | undefined, configurationError: string | undefined): OAuthError {
  const err = refuse('signature', 401, 'signature_invalid', 'the signature does not match; compare your base string with the server log', {
    parametersRejected: ['oauth_signature'],
  });
  return refuseNoting(err, {
    check: cause === undefined ? 'signature' : 'lookup',
    cause: cause?.problem ?? 'signature_invalid',
    ...(configurationError !== undefined ? { configurationError } : {}),
  });
}

/**
 * Checks the signature, then what the lookups found. A problem that only the
 * holder of the real secrets may learn (a revoked token, a method the client
 * may not use, a token of another client) is answered once the signature
 * verified; any other failure is answered `signature_invalid` (or exactly,
 * with `detailedErrors`). Returns the client and token.
 */
export async function checkSignature<C extends ClientRecord, T extends TokenRecord>(
  view: SignedView,
  params: ProtocolParams,
  found: Found<C, T>,
  config: VerifierConfig<C, T>,
): Promise<{ client: C; token: T | undefined }> {
  const judged = judgeRecords(params, found, config);
  const { valid, error } = await signatureMatches(view.baseString, params, judged, config);
  const p = judged.problem;
  const configurationError = error ?? p?.configurationError;
  if (p !== undefined && (config.detailedErrors || (valid && p.afterSignature))) throw answer(p, configurationError);
  if (!valid || p !== undefined || judged.client === undefined) throw invalid(p, configurationError);
  return { client: judged.client, token: judged.token };
}
