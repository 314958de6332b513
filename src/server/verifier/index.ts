/**
 * Verifying signed requests on a server (RFC 5849 §3.2, §3.3).
 * @module
 */
import { constantTimeEqual, dummyRsaPublicKey, prepareDummyRsaPublicKey, random } from '../../methods/crypto/node.js';
import { percentEncode } from '../../core/encoding.js';
import { OAuthError, invalidArgType, invalidArgValue, missingOption, printableName, type OAuthProblem } from '../../core/errors.js';
import { signatureBaseString } from '../../core/base-string.js';
import { createMemoryNonceStore, type Awaitable, type NonceStore } from '../nonce-store.js';
import { readParameterSources, signedParameters, type ParameterSources } from '../../core/parameters.js';
import { resolvePublicUrl } from '../public-url.js';
import { getHeader, isFormContentType, type HttpRequestLike, type Params } from '../../core/request.js';
import {
  bodyHash as computeBodyHash,
  getSignatureMethod,
  listSignatureMethods,
  type KeyLike,
  type SignatureMethod,
  type SignatureMethodDefinition,
} from '../../methods/registry.js';

/** What a server knows of a client (consumer). @group Verifier */
export interface ClientRecord {
  /** Shared secret, for HMAC and PLAINTEXT. */
  secret?: string;
  /** Public key, for RSA: PEM (SPKI, PKCS#1, X.509 certificate) or KeyObject. */
  publicKey?: KeyLike;
  /** The methods this client may use (intersected with the verifier's list). */
  signatureMethods?: SignatureMethod[];
}

/** What a server knows of a token. @group Verifier */
export interface TokenRecord {
  secret: string;
  /** A revoked token is answered with 401 `token_revoked` instead of `token_rejected`. */
  revoked?: boolean;
}

/** What the lookup callbacks are told about the request. @group Verifier */
export interface LookupContext {
  /** The request as read (a snapshot: changing it changes nothing). */
  request: { method: string; url: string; headers: HttpRequestLike['headers'] };
  signatureMethod: string;
  realm: string | undefined;
  /** Whatever the adapter or caller passed as extra context (remote address, the framework's request…). */
  extra: VerifyExtra;
}

/** Extra context handed to the callbacks, for example to weigh the client's IP (RFC 5849 §4.6). @group Verifier */
export interface VerifyExtra {
  remoteAddress?: string | undefined;
  [key: string]: unknown;
}

/** What the debug hook receives: for the server's own logs, never for the response. @group Verifier */
export interface VerifyDebugInfo {
  ok: boolean;
  /** The check that failed (`syntax`, `timestamp`, `lookup`, `signature`, `body_hash`, `nonce`), if any. */
  check?: 'syntax' | 'timestamp' | 'lookup' | 'signature' | 'body_hash' | 'nonce';
  problem?: string;
  message?: string;
  method: string;
  /** The public URL the base string was built from. */
  url: string;
  /** The server's base string, to compare with the client's. Never sent to the client. */
  baseString?: string;
  consumerKey?: string;
  token?: string;
}

/** Size limits, checked before any work. @group Verifier */
export interface VerifierLimits {
  /** Longest Authorization header accepted, in characters. Default 8192. */
  headerLength?: number;
  /** Most parameters (query, form body and header together). Default 512. */
  parameters?: number;
  /** Largest form body, in bytes. Default 1 MiB. */
  bodyBytes?: number;
}

/** Options of {@link createVerifier}. @group Verifier */
export interface VerifierOptions<C extends ClientRecord = ClientRecord, T extends TokenRecord = TokenRecord> {
  lookupClient(key: string, ctx: LookupContext): Awaitable<C | null | undefined>;
  lookupToken?(token: string, client: C, ctx: LookupContext): Awaitable<T | null | undefined>;
  /** Default: a bounded in-memory store, one per verifier. Use `oauth1/redis` across processes. */
  nonceStore?: NonceStore;
  /** Allowlist. Default: every HMAC and RSA method; PLAINTEXT only when listed. */
  signatureMethods?: SignatureMethod[];
  /** Default false: PLAINTEXT is refused unless the public URL is https. */
  allowPlaintextOverHttp?: boolean;
  /** Seconds a timestamp may lie in the past and in the future. Default 300 each. */
  timestampWindow?: { past?: number; future?: number };
  /** Milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number;
  /** Default true: a request must carry `oauth_token`. False accepts client-credentials-only requests too. */
  tokenRequired?: boolean;
  /** The realm sent in `WWW-Authenticate`. */
  realm?: string;
  /** The URL clients address (see {@link resolvePublicUrl}). */
  publicUrl?: string | ((req: HttpRequestLike) => string);
  /** Use `Forwarded` / `X-Forwarded-*` to find the public URL. Only behind a proxy you control. Default false. */
  trustProxy?: boolean;
  /** Default false: when true, every request without a form body must carry `oauth_body_hash` (a request without a body hashes the empty string). */
  requireBodyHash?: boolean;
  limits?: VerifierLimits;
  /** Server-side only: called once per request with the outcome and the server's base string. */
  onDebug?(info: VerifyDebugInfo): void;
}

/** A request that passed every check. @group Verifier */
export interface VerifiedRequest<C extends ClientRecord = ClientRecord, T extends TokenRecord = TokenRecord> {
  client: C;
  /** Undefined for a request signed with client credentials only. */
  token: T | undefined;
  consumerKey: string;
  tokenKey: string | undefined;
  signatureMethod: SignatureMethod;
  realm: string | undefined;
  /** Every signed parameter, decoded (query, form body, protocol parameters), without `oauth_signature`. */
  params: Params;
  /** The protocol parameters (`oauth_*`) as sent, `oauth_signature` included. */
  oauthParams: Params;
  /** The public URL the signature was checked against. */
  url: string;
  timestamp: number | undefined;
  nonce: string | undefined;
}

/** What {@link createVerifier} returns. @group Verifier */
export interface Verifier<C extends ClientRecord = ClientRecord, T extends TokenRecord = TokenRecord> {
  verify(req: HttpRequestLike, extra?: VerifyExtra): Promise<VerifiedRequest<C, T>>;
  /** The realm, for adapters that answer errors. */
  readonly realm: string | undefined;
  /** Whether a request with a non-form body needs its raw bytes (body hash required). */
  readonly requireBodyHash: boolean;
  /** Largest body accepted, in bytes (`limits.bodyBytes`): adapters stop reading past it. */
  readonly bodyLimit: number;
}

const PROTOCOL = [
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature_method',
  'oauth_signature',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_version',
  'oauth_callback',
  'oauth_verifier',
  'oauth_body_hash',
] as const;
const TIMESTAMP = /^[1-9][0-9]{0,15}$/;

function checkFunction(value: unknown, path: string, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'function') throw invalidArgType(path, 'a function');
}

function checkSeconds(value: unknown, path: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalidArgValue(path, 'must be a non-negative number of seconds');
  return value;
}

function checkLimit(value: unknown, path: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw invalidArgValue(path, 'must be a positive integer');
  return value;
}

/** An upper bound of the pairs in form text: one more than its "&"s (bytes or string). */
function pairBound(body: unknown): number {
  let count = 1;
  if (typeof body === 'string') {
    for (let i = body.indexOf('&'); i !== -1; i = body.indexOf('&', i + 1)) count++;
  } else if (body instanceof Uint8Array) {
    for (let i = body.indexOf(0x26); i !== -1; i = body.indexOf(0x26, i + 1)) count++;
  }
  return count;
}

type Failure = [status: number, problem: OAuthProblem, message: string, details?: { absent?: string[]; rejected?: string[]; timestamps?: string }];

/**
 * Creates a verifier. Options are checked here, once; `verify` then checks a
 * request in this order, so that no early exit tells which keys exist and no
 * unauthenticated request fills the nonce store:
 *
 * 1. syntax: header, repeated or misplaced protocol parameters, required
 *    parameters, `oauth_version`, timestamp format, method allowed (400);
 * 2. timestamp window (401 `timestamp_refused`);
 * 3. client and token looked up in parallel;
 * 4. signature computed (with a random dummy secret where a lookup found
 *    nothing) and compared in constant time;
 * 5. `oauth_body_hash` for a body that is not a form;
 * 6. only then the nonce is consumed.
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
export function createVerifier<C extends ClientRecord = ClientRecord, T extends TokenRecord = TokenRecord>(
  opts: VerifierOptions<C, T>,
): Verifier<C, T> {
  if (typeof opts !== 'object' || opts === null) throw invalidArgType('options', 'an object');
  checkFunction(opts.lookupClient, 'options.lookupClient', true);
  checkFunction(opts.lookupToken, 'options.lookupToken', false);
  checkFunction(opts.clock, 'options.clock', false);
  checkFunction(opts.onDebug, 'options.onDebug', false);
  const tokenRequired = opts.tokenRequired ?? true;
  if (typeof tokenRequired !== 'boolean') throw invalidArgType('options.tokenRequired', 'a boolean');
  if (tokenRequired && opts.lookupToken === undefined) {
    throw missingOption('options.lookupToken', 'unless options.tokenRequired is false');
  }
  const nonceStore = opts.nonceStore ?? createMemoryNonceStore();
  if (typeof nonceStore?.consume !== 'function') throw invalidArgType('options.nonceStore', 'an object with a consume(key, ttlSeconds) method');

  const known = new Set(listSignatureMethods());
  let allowed: Set<string>;
  if (opts.signatureMethods === undefined) {
    allowed = new Set(['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'RSA-SHA1', 'RSA-SHA256', 'RSA-SHA512']);
  } else {
    if (!Array.isArray(opts.signatureMethods) || opts.signatureMethods.length === 0) {
      throw invalidArgType('options.signatureMethods', 'a non-empty array of signature method names');
    }
    for (const [i, m] of opts.signatureMethods.entries()) {
      if (typeof m !== 'string' || !known.has(m)) throw invalidArgValue(`options.signatureMethods[${i}]`, `is not a known signature method`);
    }
    allowed = new Set(opts.signatureMethods);
  }
  if ([...allowed].some((m) => getSignatureMethod(m)?.kind === 'rsa')) prepareDummyRsaPublicKey();
  const allowPlaintextOverHttp = opts.allowPlaintextOverHttp ?? false;
  const past = checkSeconds(opts.timestampWindow?.past, 'options.timestampWindow.past') ?? 300;
  const future = checkSeconds(opts.timestampWindow?.future, 'options.timestampWindow.future') ?? 300;
  const nonceTtl = Math.max(1, Math.ceil(past + future));
  const clock = opts.clock ?? Date.now;
  const realm = opts.realm;
  if (realm !== undefined && typeof realm !== 'string') throw invalidArgType('options.realm', 'a string');
  if (opts.publicUrl !== undefined && typeof opts.publicUrl !== 'string' && typeof opts.publicUrl !== 'function') {
    throw invalidArgType('options.publicUrl', 'a string or a function');
  }
  if (typeof opts.publicUrl === 'string') {
    try {
      new URL(opts.publicUrl);
    } catch {
      throw invalidArgValue('options.publicUrl', 'must be an absolute URL such as https://api.example.com');
    }
  }
  const urlOptions = { publicUrl: opts.publicUrl, trustProxy: opts.trustProxy === true };
  const requireBodyHash = opts.requireBodyHash === true;
  const limits = {
    headerLength: checkLimit(opts.limits?.headerLength, 'options.limits.headerLength', 8192),
    parameters: checkLimit(opts.limits?.parameters, 'options.limits.parameters', 512),
    bodyBytes: checkLimit(opts.limits?.bodyBytes, 'options.limits.bodyBytes', 1024 * 1024),
  };
  const { lookupClient, lookupToken, onDebug } = opts;
  const dummySecret = random(32).toString('base64');

  const fail = (f: Failure): OAuthError => {
    const [status, problem, message, d] = f;
    return new OAuthError(status, problem, message, {
      ...(realm !== undefined ? { realm } : {}),
      ...(d?.absent ? { parametersAbsent: d.absent } : {}),
      ...(d?.rejected ? { parametersRejected: d.rejected } : {}),
      ...(d?.timestamps ? { acceptableTimestamps: d.timestamps } : {}),
      ...(problem === 'version_rejected' ? { acceptableVersions: '1.0-1.0' } : {}),
    });
  };

  async function verify(req: HttpRequestLike, extra: VerifyExtra = {}): Promise<VerifiedRequest<C, T>> {
    if (typeof req !== 'object' || req === null) throw invalidArgType('request', 'an object');
    const method = String(req.method ?? '').toUpperCase();
    let debugUrl = '';
    const debug = (info: Omit<VerifyDebugInfo, 'method' | 'url'>): void => {
      if (onDebug) onDebug({ method, url: debugUrl, ...info });
    };
    const reject = (check: NonNullable<VerifyDebugInfo['check']>, f: Failure, more: Partial<VerifyDebugInfo> = {}): never => {
      const err = fail(f);
      debug({ ok: false, check, problem: err.problem, message: err.message, ...more });
      throw err;
    };

    // 1. Syntax. Everything is read here, synchronously: the callbacks below
    //    cannot change what is being verified.
    const authorization = getHeader(req.headers, 'authorization');
    const contentType = getHeader(req.headers, 'content-type');
    if (authorization !== undefined && authorization.length > limits.headerLength) {
      reject('syntax', [400, 'parameter_rejected', `the Authorization header is longer than ${limits.headerLength} characters`]);
    }
    const rawBody = req.body;
    if ((typeof rawBody === 'string' || rawBody instanceof Uint8Array) && byteLength(rawBody) > limits.bodyBytes) {
      reject('syntax', [400, 'parameter_rejected', `the body is larger than ${limits.bodyBytes} bytes`]);
    }
    let url: URL;
    let sources: ParameterSources;
    try {
      url = resolvePublicUrl(req, urlOptions);
      debugUrl = url.href;
      // A cheap bound before any parsing, so a body of a million "&"s costs a
      // scan, not a million pairs; the exact count is checked below.
      const formText = isFormContentType(contentType) ? rawBody : undefined;
      if (pairBound(url.search) + pairBound(formText) > 2 * limits.parameters + 2) {
        throw new OAuthError(400, 'parameter_rejected', `the request has more than ${limits.parameters} parameters`);
      }
      sources = readParameterSources({ method, url, headers: req.headers, body: rawBody }, { contentType, authorization });
    } catch (err) {
      if (err instanceof OAuthError) {
        debug({ ok: false, check: 'syntax', problem: err.problem, message: err.message });
        throw fail([err.status, err.problem as OAuthProblem, err.message, { rejected: [...(err.details.parametersRejected ?? [])] }]);
      }
      throw err;
    }
    const form = sources.body.form ?? [];
    const headerParams = sources.header?.params ?? [];
    if (sources.query.length + form.length + headerParams.length > limits.parameters) {
      reject('syntax', [400, 'parameter_rejected', `the request has more than ${limits.parameters} parameters`]);
    }

    // Protocol parameters: each at most once, all in one location (RFC 5849 §3.5:
    // "one and only one of the following locations").
    const oauth = new Map<string, string>();
    const oauthParams: Array<[string, string]> = [];
    let location: string | undefined;
    for (const [where, list] of [['Authorization header', headerParams], ['query', sources.query], ['form body', form]] as const) {
      for (const [name, value] of list) {
        if (!name.startsWith('oauth_')) continue;
        if (oauth.has(name)) {
          reject('syntax', [400, 'parameter_rejected', `the protocol parameter "${printableName(name)}" is sent more than once`, { rejected: [name] }]);
        }
        if (location !== undefined && location !== where) {
          reject('syntax', [400, 'parameter_rejected', `protocol parameters must all be sent in one place, not in both the ${location} and the ${where}`, { rejected: [name] }]);
        }
        location = where;
        oauth.set(name, value);
        oauthParams.push([name, value]);
      }
    }
    if (oauth.size === 0) {
      reject('syntax', [401, 'parameter_absent', 'the request carries no OAuth credentials', { absent: ['oauth_consumer_key', 'oauth_signature_method', 'oauth_signature'] }]);
    }
    const signatureMethod = oauth.get('oauth_signature_method');
    const definition: SignatureMethodDefinition | undefined = signatureMethod === undefined ? undefined : getSignatureMethod(signatureMethod);
    const plaintext = definition?.revealsSecret === true;
    const absent = ['oauth_consumer_key', 'oauth_signature_method', 'oauth_signature']
      .concat(plaintext ? [] : ['oauth_timestamp', 'oauth_nonce'])
      .concat(tokenRequired ? ['oauth_token'] : [])
      .filter((n) => (n === 'oauth_token' ? !oauth.get(n) : !oauth.has(n)));
    if (absent.length) reject('syntax', [400, 'parameter_absent', `missing ${absent.join(', ')}`, { absent }]);
    const version = oauth.get('oauth_version');
    if (version !== undefined && version !== '1.0') reject('syntax', [400, 'version_rejected', 'oauth_version must be "1.0"', { rejected: ['oauth_version'] }]);
    const timestampText = oauth.get('oauth_timestamp');
    if (timestampText !== undefined && !TIMESTAMP.test(timestampText)) {
      reject('syntax', [400, 'parameter_rejected', 'oauth_timestamp must be a positive integer number of seconds', { rejected: ['oauth_timestamp'] }]);
    }
    if (definition === undefined || !allowed.has(signatureMethod!)) {
      reject('syntax', [400, 'signature_method_rejected', `the signature method is not accepted here (accepted: ${[...allowed].join(', ')})`, { rejected: ['oauth_signature_method'] }]);
    }
    const def = definition!;
    if (plaintext && url.protocol !== 'https:' && !allowPlaintextOverHttp) {
      reject('syntax', [400, 'signature_method_rejected', `${signatureMethod} is accepted over https only`, { rejected: ['oauth_signature_method'] }]);
    }
    const hasBodyHash = oauth.has('oauth_body_hash');
    const isForm = sources.body.form !== null;
    if (hasBodyHash && isForm) {
      reject('syntax', [400, 'parameter_rejected', 'oauth_body_hash must not be sent with a form body', { rejected: ['oauth_body_hash'] }]);
    }
    // Hashed now, before any callback runs: what is checked is what arrived.
    const expectedBodyHash = hasBodyHash ? computeBodyHash(sources.body.raw ?? '', def.bodyHash) : undefined;
    if (requireBodyHash && !isForm && !hasBodyHash) {
      reject('syntax', [400, 'parameter_absent', 'oauth_body_hash is required for this request', { absent: ['oauth_body_hash'] }]);
    }

    // 2. Timestamp window (RFC 5849 §3.3).
    const timestamp = timestampText === undefined ? undefined : Number(timestampText);
    if (timestamp !== undefined) {
      const now = Math.floor(clock() / 1000);
      if (timestamp < now - past || timestamp > now + future) {
        reject('timestamp', [401, 'timestamp_refused', 'oauth_timestamp is outside the accepted window; check the client clock', {
          timestamps: `${now - Math.floor(past)}-${now + Math.floor(future)}`,
        }]);
      }
    }

    // 3. Client and token, looked up in parallel.
    const consumerKey = oauth.get('oauth_consumer_key')!;
    // RFC 5849 §2.1: a request signed with client credentials only may carry an
    // empty oauth_token; it signs with the empty token secret, as no token does.
    const tokenKey = oauth.get('oauth_token') || undefined;
    const ctx: LookupContext = {
      request: { method, url: url.href, headers: req.headers },
      signatureMethod: signatureMethod!,
      realm: sources.header?.realm,
      extra,
    };
    const clientPromise = Promise.resolve(lookupClient(consumerKey, ctx));
    const [client, token] = await Promise.all([
      clientPromise,
      tokenKey === undefined || lookupToken === undefined
        ? undefined
        : clientPromise.then((c) => (c ? lookupToken(tokenKey, c, ctx) : undefined)),
    ]);

    // 4. Signature, computed whatever the lookups found.
    const clientUsable = client != null && clientAccepts(client, signatureMethod!, def);
    const params = signedParameters(sources);
    const baseString = signatureBaseString({ method, url, params });
    const signature = oauth.get('oauth_signature')!;
    const tokenSecret = tokenKey === undefined ? '' : token != null && typeof token.secret === 'string' ? token.secret : dummySecret;
    const valid =
      def.kind === 'rsa'
        ? def.verify(baseString, signature, { publicKey: clientUsable && client.publicKey !== undefined ? client.publicKey : dummyRsaPublicKey() })
        : def.verify(baseString, signature, { clientSecret: clientUsable && typeof client.secret === 'string' ? client.secret : dummySecret, tokenSecret });
    const who = { baseString, consumerKey, ...(tokenKey !== undefined ? { token: tokenKey } : {}) };
    if (client == null) reject('lookup', [401, 'consumer_key_unknown', 'the client is unknown', { rejected: ['oauth_consumer_key'] }], who);
    if (tokenKey !== undefined && lookupToken === undefined) {
      reject('lookup', [401, 'token_rejected', 'this server does not accept tokens here', { rejected: ['oauth_token'] }], who);
    }
    if (tokenKey !== undefined && token == null) reject('lookup', [401, 'token_rejected', 'the token is unknown or expired', { rejected: ['oauth_token'] }], who);
    if (token?.revoked === true) reject('lookup', [401, 'token_revoked', 'the token has been revoked', { rejected: ['oauth_token'] }], who);
    if (!clientUsable) {
      reject('lookup', [401, 'signature_method_rejected', `this client may not use ${signatureMethod}`, { rejected: ['oauth_signature_method'] }], who);
    }
    if (!valid) reject('signature', [401, 'signature_invalid', 'the signature does not match; compare your base string with the server log', { rejected: ['oauth_signature'] }], who);

    // 5. Body hash of a body that is not a form (OAuth Request Body Hash §4.1).
    if (expectedBodyHash !== undefined) {
      if (!constantTimeEqual(expectedBodyHash, oauth.get('oauth_body_hash')!)) {
        reject('body_hash', [401, 'signature_invalid', 'oauth_body_hash does not match the body', { rejected: ['oauth_body_hash'] }], who);
      }
    }

    // 6. Only an authenticated request may use up a nonce.
    const nonce = oauth.get('oauth_nonce');
    if (nonce !== undefined || timestamp !== undefined) {
      const key = `${percentEncode(consumerKey)}&${percentEncode(tokenKey ?? '')}&${timestampText ?? ''}&${percentEncode(nonce ?? '')}`;
      let first: boolean;
      try {
        first = await nonceStore.consume(key, nonceTtl);
      } catch (err) {
        if (err instanceof OAuthError) {
          debug({ ok: false, check: 'nonce', problem: err.problem, message: err.message, ...who });
        }
        throw err;
      }
      if (!first) reject('nonce', [401, 'nonce_used', 'this nonce has been used already', { rejected: ['oauth_nonce'] }], who);
    }

    debug({ ok: true, ...who });
    return {
      client: client!,
      token: token ?? undefined,
      consumerKey,
      tokenKey,
      signatureMethod: signatureMethod!,
      realm: sources.header?.realm,
      params,
      oauthParams,
      url: url.href,
      timestamp,
      nonce,
    };
  }

  return { verify, realm, requireBodyHash, bodyLimit: limits.bodyBytes };
}

function clientAccepts(client: ClientRecord, method: string, def: SignatureMethodDefinition): boolean {
  if (Array.isArray(client.signatureMethods) && !client.signatureMethods.includes(method)) return false;
  return def.kind === 'rsa' ? client.publicKey !== undefined : typeof client.secret === 'string';
}

function byteLength(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
}
