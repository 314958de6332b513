/**
 * Verifying signed requests on a server (RFC 5849 §3.2, §3.3): the pipeline
 * of named phases, each in its own module.
 * @module
 */
import { isPromiseLike, type Awaitable } from '../../core/awaitable.js';
import { withRealm } from '../../core/errors.js';
import type { HttpRequestLike } from '../../core/request.js';
import { object } from '../../core/validate.js';
import { checkBodyHash } from './body-hash.js';
import { compileVerifierOptions, type VerifierConfig } from './config.js';
import { noteOf } from './failure.js';
import { lookUp, lookupContext } from './lookup.js';
import { consumeNonce } from './nonce.js';
import { readProtocolParams } from './protocol-params.js';
import { readRequest } from './read-request.js';
import { checkSignature, serverBaseString } from './signature.js';
import { checkTimestampWindow } from './timestamp-window.js';
import type { ClientRecord, TokenRecord, VerifiedRequest, Verifier, VerifierOptions, VerifyCheck, VerifyDebugInfo, VerifyExtra } from './types.js';

export type * from './types.js';

/**
 * What a preset (LTI, the provider's endpoints) adds to the pipeline: a check
 * before anything is read, and a last step that turns the verified request
 * into the preset's own result. Their failures are reported like the
 * verifier's own (realm, `onDebug` with check `profile`).
 * @internal
 */
export interface VerifierPhases<C extends ClientRecord, T extends TokenRecord, R> {
  precheck?(req: HttpRequestLike): void;
  finish(verified: VerifiedRequest<C, T>, req: HttpRequestLike): Awaitable<R>;
}

/** What the debug hook is told besides the outcome, filled in as the phases learn it. */
type Trace = Omit<VerifyDebugInfo, 'ok' | 'check' | 'problem' | 'message'>;

/** The one place where a failure gets the realm and is told to `onDebug`. */
function reportFailure(err: unknown, check: VerifyCheck, trace: Trace, config: VerifierConfig<any, any>): unknown {
  const stamped = withRealm(err, config.realm);
  const message = stamped instanceof Error ? stamped.message : String(stamped);
  const problem = (stamped as { problem?: unknown }).problem;
  config.onDebug?.({ ok: false, ...noteOf(err, check), ...(typeof problem === 'string' ? { problem } : {}), message, ...trace });
  return stamped;
}

async function runPipeline<C extends ClientRecord, T extends TokenRecord, R>(
  config: VerifierConfig<C, T>,
  phases: VerifierPhases<C, T, R>,
  req: HttpRequestLike,
  extra: VerifyExtra,
): Promise<R> {
  const trace: Trace = { method: String(req.method ?? '').toUpperCase(), url: '' };
  let check: VerifyCheck = 'syntax';
  try {
    phases.precheck?.(req);
    const received = readRequest(req, config, extra.remoteAddress, (url) => (trace.url = url));
    const params = readProtocolParams(received, config);
    check = 'timestamp';
    checkTimestampWindow(params, config);
    check = 'lookup';
    const looked = lookUp(params, lookupContext(received, params, extra), config);
    const found = isPromiseLike(looked) ? await looked : looked;
    check = 'signature';
    const view = serverBaseString(received);
    trace.baseString = view.baseString;
    trace.consumerKey = params.consumerKey;
    if (params.token !== undefined) trace.token = params.token;
    const checked = checkSignature(view, params, found, config);
    const { client, token } = isPromiseLike(checked) ? await checked : checked;
    check = 'body_hash';
    const hashed = checkBodyHash(params);
    if (hashed !== undefined) await hashed;
    check = 'nonce';
    const consumed = consumeNonce(params, config);
    if (consumed !== undefined) await consumed;
    check = 'profile';
    const verified: VerifiedRequest<C, T> = {
      client,
      token,
      clientKey: params.consumerKey,
      consumerKey: params.consumerKey,
      tokenKey: params.token,
      signatureMethod: params.signatureMethod,
      realm: received.sources.header?.realm,
      params: view.params,
      oauthParams: params.list,
      url: received.url.href,
      timestamp: params.timestamp,
      nonce: params.nonce,
      remoteAddress: extra.remoteAddress,
    };
    const finished = phases.finish(verified, req);
    const result = isPromiseLike(finished) ? await finished : finished;
    config.onDebug?.({ ok: true, ...trace });
    return result;
  } catch (err) {
    throw reportFailure(err, check, trace, config);
  }
}

/**
 * Builds a verifier from compiled options and a preset's phases.
 * @internal
 */
export function buildVerifier<C extends ClientRecord, T extends TokenRecord, R>(
  config: VerifierConfig<C, T>,
  phases: VerifierPhases<C, T, R>,
): Verifier<C, T, R> {
  return {
    verify(req, extra = {}) {
      try {
        object(req, 'request');
      } catch (err) {
        return Promise.reject(err);
      }
      // runPipeline's own promise, not wrapped in another one.
      return runPipeline(config, phases, req, extra);
    },
    realm: config.realm,
    requireBodyHash: config.requireBodyHash,
    bodyLimit: config.limits.bodyBytes,
  };
}

/**
 * Creates a verifier. Options are checked here, once; `verify` then runs
 * these phases, in this order, so that no early exit tells which keys exist
 * and no unauthenticated request fills the nonce store:
 *
 * 1. read the request: size limits, public URL, parameter sources (400);
 * 2. protocol parameters: repeated or misplaced, required, `oauth_version`,
 *    timestamp format, method allowed (400);
 * 3. timestamp window (401 `timestamp_refused`);
 * 4. client and token looked up through the callbacks;
 * 5. signature computed (with a random dummy secret where a lookup found
 *    nothing) and compared in constant time;
 * 6. `oauth_body_hash` for a body that is not a form;
 * 7. only then the nonce is consumed.
 *
 * @example
 * ```ts
 * const verifier = createVerifier({
 *   lookupClient: (key) => db.clients.get(key),          // { secret } or undefined
 *   lookupToken: (token, client) => db.tokens.get(token), // { secret } or undefined
 * });
 * const ok = await verifier.verify({ method, url, headers, body }); // throws OAuthError
 * ```
 * @see RFC 5849 §3.2, §3.3
 * @group Verifier
 */
export function createVerifier<C extends ClientRecord = ClientRecord, T extends TokenRecord = TokenRecord>(opts: VerifierOptions<C, T>): Verifier<C, T> {
  return buildVerifier(compileVerifierOptions(opts), { finish: (verified) => verified });
}
