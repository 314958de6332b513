/**
 * LTI 1.1 (IMS Learning Tools Interoperability): verifying tool launches and
 * signing and verifying Basic Outcomes requests, on top of the verifier and
 * `sign()`.
 *
 * LTI 1.1 uses OAuth 1.0 with client credentials only: the tool consumer
 * (the LMS) holds an `oauth_consumer_key` and a shared secret, and no token is
 * involved. References, cited by section:
 *
 * - IMS LTI 1.1 Implementation Guide (2012), imsglobal.org/specs/ltiv1p1/implementation-guide:
 *   §3 (basic launch data: `lti_message_type`, `lti_version`, `resource_link_id`),
 *   §4 (security model: form POST signed with OAuth 1.0 HMAC-SHA1, consumer
 *   key and secret only, `oauth_callback=about:blank`),
 *   §4.3 (application/xml messages signed with `oauth_body_hash`);
 * - IMS LTI Basic Outcomes 1.1, imsglobal.org/spec/lti-bo/v1p1 (the POX
 *   `replaceResult`, `readResult` and `deleteResult` messages);
 * - OAuth Request Body Hash (oauth-bodyhash), for `oauth_body_hash`.
 *
 * @module
 */
import { sign, signAsync, type SignedRequest, type SignOptions } from '../client/sign.js';
import type { Awaitable } from '../core/awaitable.js';
import { invalidArgType, invalidArgValue, requireAsync } from '../core/errors.js';
import { isForm } from '../core/content-type.js';
import { getHeader, type HttpRequestLike } from '../core/request.js';
import { fn, forbidden, object, oneOf, string, stringArray } from '../core/validate.js';
import type { SignatureMethod } from '../methods/types.js';
import { compileVerifierOptions, type VerifierConfig } from '../server/verifier/config.js';
import { refuse } from '../server/verifier/failure.js';
import { buildVerifier } from '../server/verifier/index.js';
import type { ClientRecord, LookupContext, TokenRecord, VerifiedRequest, Verifier, VerifierOptions, VerifyExtra } from '../server/verifier/types.js';

/**
 * Options shared by the LTI verifiers: the verifier's options, with no
 * tokens. The lookup is `lookupClient` (RFC 5849's word) or, under the name
 * LTI uses, `lookupConsumer`: give one of them.
 * `signatureMethods` defaults to HMAC-SHA1 (what LTI 1.1 specifies) and
 * HMAC-SHA256 (what many consumers send now).
 *
 * @example
 * ```ts
 * const options: LtiVerifierOptions = { lookupConsumer: (key) => consumers.get(key) };
 * ```
 * @see LTI 1.1 Implementation Guide §4
 * @group LTI
 */
export interface LtiVerifierOptions<C extends ClientRecord = ClientRecord>
  extends Omit<VerifierOptions<C, TokenRecord>, 'lookupClient' | 'lookupToken' | 'tokenRequired' | 'requireBodyHash'> {
  /** The client's (tool consumer's) secret (`{ secret }`) for an `oauth_consumer_key`, or nothing when it is unknown. */
  lookupClient?(key: string, ctx: LookupContext): Awaitable<C | null | undefined>;
  /** {@link LtiVerifierOptions.lookupClient} under LTI's word for the party ("tool consumer"). */
  lookupConsumer?(key: string, ctx: LookupContext): Awaitable<C | null | undefined>;
}

/**
 * Options of {@link createLtiLaunchVerifier}.
 *
 * @example
 * ```ts
 * const options: LtiLaunchVerifierOptions = { lookupConsumer, ltiVersions: ['LTI-1p0'] };
 * ```
 * @see LTI 1.1 Implementation Guide §3, §4
 * @group LTI
 */
export interface LtiLaunchVerifierOptions<C extends ClientRecord = ClientRecord> extends LtiVerifierOptions<C> {
  /** Accepted `lti_version` values. Default `['LTI-1p0']` (LTI 1.0, 1.1 and 1.2 launches all send it). */
  ltiVersions?: readonly string[];
}

/**
 * A verified launch.
 *
 * @example
 * ```ts
 * const { launch, clientKey } = await ltiVerifier.verify(req);
 * session.user = { id: `${clientKey}:${launch.user_id}`, roles: launch.roles?.split(',') ?? [] };
 * ```
 * @see LTI 1.1 Implementation Guide §3
 * @group LTI
 */
export interface LtiLaunch<C extends ClientRecord = ClientRecord> extends VerifiedRequest<C, TokenRecord> {
  /**
   * The launch parameters (form body and launch URL query) without the
   * `oauth_*` ones, by name. Every name appears once: a launch repeating a
   * name is refused, so no two readers can see different values.
   */
  launch: Readonly<Record<string, string>>;
  /** `lti_message_type`, e.g. `basic-lti-launch-request`. */
  messageType: string;
  /** `lti_version`, e.g. `LTI-1p0`. */
  ltiVersion: string;
}

/**
 * What {@link createLtiLaunchVerifier} returns: a verifier (it plugs into every
 * adapter) whose `verify` resolves to an {@link LtiLaunch}.
 *
 * @example
 * ```ts
 * const launch = await verifyNodeRequest(ltiVerifier, req) as LtiLaunch;
 * ```
 * @see LTI 1.1 Implementation Guide §4
 * @group LTI
 */
export interface LtiLaunchVerifier<C extends ClientRecord = ClientRecord> extends Verifier<C, TokenRecord> {
  verify(req: HttpRequestLike, extra?: VerifyExtra): Promise<LtiLaunch<C>>;
}

/**
 * A verified Basic Outcomes request.
 *
 * @example
 * ```ts
 * const { xml, clientKey } = await outcomeVerifier.verify(req);
 * ```
 * @see LTI 1.1 Implementation Guide §4.3
 * @group LTI
 */
export interface LtiOutcomeRequest<C extends ClientRecord = ClientRecord> extends VerifiedRequest<C, TokenRecord> {
  /** The POX body, decoded as UTF-8; its bytes matched `oauth_body_hash`. */
  xml: string;
}

/**
 * What {@link createLtiOutcomeVerifier} returns: a verifier (it plugs into
 * every adapter; `requireBodyHash` tells them to read the body) whose
 * `verify` resolves to an {@link LtiOutcomeRequest}.
 *
 * @example
 * ```ts
 * const outcome = await verifyFetchRequest(outcomeVerifier, request) as LtiOutcomeRequest;
 * ```
 * @see LTI 1.1 Implementation Guide §4.3
 * @group LTI
 */
export interface LtiOutcomeVerifier<C extends ClientRecord = ClientRecord> extends Verifier<C, TokenRecord> {
  verify(req: HttpRequestLike, extra?: VerifyExtra): Promise<LtiOutcomeRequest<C>>;
}

/**
 * Options of {@link signOutcomeRequest}.
 *
 * @example
 * ```ts
 * const options: SignOutcomeOptions = { url: launch.lis_outcome_service_url!, consumer: { key, secret }, xml };
 * ```
 * @see LTI 1.1 Implementation Guide §4.3
 * @group LTI
 */
export interface SignOutcomeOptions {
  /** `lis_outcome_service_url` from the launch. */
  url: string;
  /** The key and secret the launch was signed with (LTI's "consumer key"). Give this or `consumer`. */
  client?: { key: string; secret: string } | undefined;
  /** {@link SignOutcomeOptions.client} under LTI's word for the party. */
  consumer?: { key: string; secret: string } | undefined;
  /** The POX request (`imsx_POXEnvelopeRequest`). */
  xml: string;
  /**
   * Default `'HMAC-SHA1'`, the method LTI 1.1 specifies. The body hash uses
   * the method's hash (body-hash draft §3.1): SHA-1, or SHA-256 for
   * HMAC-SHA256. Consumers built on Python's oauthlib or Ruby's oauth gem
   * hash with SHA-1 whatever the method, so keep HMAC-SHA1 for them.
   */
  signatureMethod?: 'HMAC-SHA1' | 'HMAC-SHA256';
  realm?: string;
  /** Injectable for tests. */
  nonce?: string;
  /** Seconds since the epoch; injectable for tests. */
  timestamp?: number | string;
}

const LTI_METHODS: SignatureMethod[] = ['HMAC-SHA1', 'HMAC-SHA256'];
const XML_TYPE = /^\s*(?:application|text)\/(?:[\w.+-]+\+)?xml\s*(?:;|$)/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function ltiConfig<C extends ClientRecord>(options: LtiVerifierOptions<C>, requireBodyHash: boolean): VerifierConfig<C, TokenRecord> {
  const opts = object<LtiVerifierOptions<C>>(options, 'options');
  forbidden(opts, ['lookupToken', 'tokenRequired', 'requireBodyHash'], 'is set by the LTI preset');
  const { lookupClient, lookupConsumer, ...rest } = opts;
  if (lookupClient !== undefined && lookupConsumer !== undefined) throw invalidArgValue('options.lookupConsumer', 'is another name for options.lookupClient: give one of them');
  const path = lookupConsumer !== undefined ? 'options.lookupConsumer' : 'options.lookupClient';
  const lookup = fn<NonNullable<typeof lookupClient>>(lookupClient ?? lookupConsumer, path, "(or its LTI name, options.lookupConsumer): the tool consumer's secret");
  return compileVerifierOptions<C, TokenRecord>({
    signatureMethods: LTI_METHODS,
    ...rest,
    lookupClient: lookup,
    // Client credentials only (the verifier takes an empty oauth_token, which RFC 5849 §2.1 allows, as none).
    tokenRequired: false,
    requireBodyHash,
  });
}

function checkPost(req: HttpRequestLike, what: string): void {
  if (String(req.method ?? '').toUpperCase() !== 'POST') throw refuse('syntax', 400, 'parameter_rejected', `${what} is an HTTP POST`);
}

/** The launch parameters by name; a name sent twice is refused, so no two readers can see different values. */
function launchParameters(verified: VerifiedRequest<ClientRecord, TokenRecord>): Record<string, string> {
  const launch: Record<string, string> = Object.create(null);
  for (const [name, value] of verified.params) {
    if (name.startsWith('oauth_')) continue;
    if (name in launch) throw refuse('profile', 400, 'parameter_rejected', `the launch parameter "${name}" is sent more than once`, { parametersRejected: [name] });
    launch[name] = value;
  }
  return launch;
}

/** LTI 1.1 Implementation Guide §3: the required launch parameters, and an accepted version. */
function checkLaunch(launch: Record<string, string>, versions: ReadonlySet<string>): { messageType: string; ltiVersion: string } {
  const absent = ['lti_message_type', 'lti_version'].filter((n) => !(n in launch));
  if (launch['lti_message_type'] === 'basic-lti-launch-request' && !('resource_link_id' in launch)) absent.push('resource_link_id');
  if (absent.length > 0) throw refuse('profile', 400, 'parameter_absent', `not an LTI launch: missing ${absent.join(', ')}`, { parametersAbsent: absent });
  const messageType = launch['lti_message_type'] ?? '';
  const ltiVersion = launch['lti_version'] ?? '';
  if (!versions.has(ltiVersion)) {
    throw refuse('profile', 400, 'parameter_rejected', `lti_version must be ${[...versions].join(' or ')}`, { parametersRejected: ['lti_version'] });
  }
  return { messageType, ltiVersion };
}

/**
 * Creates the verifier for LTI 1.1 tool launches: a form POST signed with the
 * consumer key and secret only (HMAC-SHA1 or HMAC-SHA256 by default), with
 * the verifier's ordered checks (timestamp window, nonce, signature in
 * constant time). Then, for an authenticated launch:
 *
 * - a method other than POST is refused first (400 `parameter_rejected`);
 * - `lti_message_type` and `lti_version` must be present (400
 *   `parameter_absent`), `lti_version` one of `ltiVersions` (400
 *   `parameter_rejected`), and a `basic-lti-launch-request` must carry
 *   `resource_link_id` (400 `parameter_absent`);
 * - a launch parameter sent twice is refused (400 `parameter_rejected`).
 *
 * `oauth_callback` (`about:blank` in LTI) is signed like any parameter and
 * otherwise ignored.
 *
 * @example A tool's launch endpoint (node:http)
 * ```ts
 * import { createLtiLaunchVerifier, type LtiLaunch } from 'oauth1';
 * import { verifyNodeRequest, sendOAuthError } from 'oauth1/node';
 * const ltiVerifier = createLtiLaunchVerifier({ lookupConsumer: (key) => consumers.get(key) }); // { secret }
 * createServer(async (req, res) => {
 *   try {
 *     const { launch } = (await verifyNodeRequest(ltiVerifier, req)) as LtiLaunch;
 *     res.end(`welcome ${launch.lis_person_name_full ?? launch.user_id}`);
 *   } catch (err) {
 *     if (!sendOAuthError(res, err)) throw err;
 *   }
 * });
 * ```
 * @throws TypeError naming the option for a programmer's mistake.
 * @see LTI 1.1 Implementation Guide §3 (launch data), §4 (security model); RFC 5849 §3.2
 * @group LTI
 */
export function createLtiLaunchVerifier<C extends ClientRecord = ClientRecord>(opts: LtiLaunchVerifierOptions<C>): LtiLaunchVerifier<C> {
  const { ltiVersions = ['LTI-1p0'], ...rest } = object<LtiLaunchVerifierOptions<C>>(opts, 'options');
  const versions = new Set(stringArray(ltiVersions, 'options.ltiVersions', { nonEmpty: true }));
  return buildVerifier(ltiConfig(rest as LtiVerifierOptions<C>, false), {
    precheck: (req) => {
      checkPost(req, 'an LTI launch');
      // Only a form body is signed: launch fields in any other body (multipart, JSON) would reach the tool unsigned.
      if (!isForm(getHeader(req.headers, 'content-type'))) {
        throw refuse('syntax', 400, 'parameter_rejected', 'an LTI launch is a form POST (Content-Type: application/x-www-form-urlencoded)');
      }
    },
    finish: (verified) => {
      const launch = launchParameters(verified);
      return { ...verified, launch: Object.freeze(launch), ...checkLaunch(launch, versions) };
    },
  });
}

/**
 * Creates the verifier a tool consumer (LMS) runs on its Basic Outcomes
 * endpoint: a POST with an XML body (`application/xml`, `text/xml` or
 * `…+xml`, else 400 `parameter_rejected`), signed with the consumer key and
 * secret only, whose `oauth_body_hash` is required (400 `parameter_absent`)
 * and must match the body's bytes (401 `signature_invalid`).
 *
 * @example
 * ```ts
 * const outcomeVerifier = createLtiOutcomeVerifier({ lookupConsumer: (key) => tools.get(key) });
 * const { xml, clientKey } = await outcomeVerifier.verify({ method: 'POST', url, headers, body: rawBody });
 * ```
 * @throws TypeError naming the option for a programmer's mistake.
 * @see LTI 1.1 Implementation Guide §4.3; LTI Basic Outcomes 1.1; OAuth Request Body Hash
 * @group LTI
 */
export function createLtiOutcomeVerifier<C extends ClientRecord = ClientRecord>(opts: LtiVerifierOptions<C>): LtiOutcomeVerifier<C> {
  return buildVerifier(ltiConfig(opts, true), {
    precheck: (req) => {
      checkPost(req, 'a Basic Outcomes request');
      const contentType = getHeader(req.headers, 'content-type');
      if (contentType === undefined || !XML_TYPE.test(contentType)) {
        throw refuse('syntax', 400, 'parameter_rejected', 'a Basic Outcomes request has an XML body (Content-Type: application/xml)');
      }
    },
    finish: (verified, req) => ({ ...verified, xml: xmlText(req.body) }),
  });
}

/** The XML body as text: its bytes matched oauth_body_hash already. */
function xmlText(body: HttpRequestLike['body']): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (!(body instanceof Uint8Array) && !(body instanceof ArrayBuffer)) throw invalidArgType('request.body', 'raw text or bytes for an XML body');
  try {
    return utf8.decode(body);
  } catch {
    throw refuse('profile', 400, 'parameter_rejected', 'the XML body is not valid UTF-8');
  }
}

/**
 * Signs a Basic Outcomes request (a tool reporting a grade to the LMS): a
 * POST of the POX XML with `Content-Type: application/xml`, signed with the
 * consumer key and secret only, carrying `oauth_body_hash` of the XML
 * (SHA-1 for HMAC-SHA1, SHA-256 for HMAC-SHA256) in the Authorization header.
 *
 * @example Reporting a score of 0.92
 * ```ts
 * const signed = signOutcomeRequest({ url: launch.lis_outcome_service_url!, consumer: { key, secret }, xml: replaceResultXml });
 * const res = await fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body });
 * ```
 * @throws TypeError naming the option for a programmer's mistake.
 * @throws TypeError (`ERR_SYNC_CRYPTO_UNAVAILABLE`) in the web build (workers, edge, Deno, browsers), where WebCrypto is asynchronous: use {@link signOutcomeRequestAsync} there.
 * @see LTI 1.1 Implementation Guide §4.3; LTI Basic Outcomes 1.1; RFC 5849 §3.5.1
 * @group LTI
 */
export function signOutcomeRequest(opts: SignOutcomeOptions): SignedRequest {
  try {
    return sign(...outcomeRequest(opts));
  } catch (err) {
    throw requireAsync(err, 'signOutcomeRequest', 'signOutcomeRequestAsync');
  }
}

/**
 * {@link signOutcomeRequest} in every build, as a promise: in the web build
 * (WebCrypto) this is the form that works.
 *
 * @example Reporting a score from a Worker
 * ```ts
 * const signed = await signOutcomeRequestAsync({ url: launch.lis_outcome_service_url!, consumer: { key, secret }, xml: replaceResultXml });
 * await fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body });
 * ```
 * @see LTI 1.1 Implementation Guide §4.3; LTI Basic Outcomes 1.1; RFC 5849 §3.5.1
 * @group LTI
 */
export async function signOutcomeRequestAsync(opts: SignOutcomeOptions): Promise<SignedRequest> {
  return signAsync(...outcomeRequest(opts));
}

/** The outcome request and the options that sign it. */
function outcomeRequest(opts: SignOutcomeOptions): [HttpRequestLike, SignOptions] {
  object(opts, 'options');
  const url = string(opts.url, 'options.url', { expected: 'a string (lis_outcome_service_url)' });
  const xml = string(opts.xml, 'options.xml');
  if (opts.client !== undefined && opts.consumer !== undefined) throw invalidArgValue('options.consumer', 'is another name for options.client: give one of them');
  const path = opts.client !== undefined ? 'options.client' : 'options.consumer';
  const consumer = object<{ key: string; secret: string }>(opts.client ?? opts.consumer, path, 'an object with key and secret');
  string(consumer.secret, `${path}.secret`);
  const signatureMethod = oneOf(opts.signatureMethod, 'options.signatureMethod', ['HMAC-SHA1', 'HMAC-SHA256'], 'HMAC-SHA1');
  return [
    { method: 'POST', url, headers: { 'Content-Type': 'application/xml' }, body: xml },
    {
      client: { key: consumer.key, secret: consumer.secret },
      signatureMethod,
      bodyHash: true,
      ...(opts.realm !== undefined ? { realm: opts.realm } : {}),
      ...(opts.nonce !== undefined ? { nonce: opts.nonce } : {}),
      ...(opts.timestamp !== undefined ? { timestamp: opts.timestamp } : {}),
    },
  ];
}
