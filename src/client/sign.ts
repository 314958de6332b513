/**
 * Signing a request as a client (RFC 5849 §3.1, §3.5), in three steps:
 * the options are checked and settled ({@link signSettings}), the protocol
 * parameters are built ({@link protocolParameters}) and signed with the
 * request's own parameters, and they are placed in the header, the query or
 * the form body ({@link placeParameters}).
 * @module
 */
import { joinBaseStringEncoded, targetUri } from '../core/base-string.js';
import { formatForm, percentEncode, percentEncodeTwice } from '../core/encoding.js';
import { invalidArgValue, missingOption, quotedString, requireAsync } from '../core/errors.js';
import { EncodedParameters, encodeEncoded, readParameterSources, type ParameterSources } from '../core/parameters.js';
import { appendQuery, headersToRecord, toParams, type HttpRequestLike, type Params, type ParamsInit } from '../core/request.js';
import { currentTimestamp, parseTimestamp, TIMESTAMP_RULE } from '../core/timestamp.js';
import { boolean, object, oneOf, optionalObject, optionalString, string } from '../core/validate.js';
import { BODY_HASH_ALGORITHMS, bodyHash as computeBodyHash, bodyHashAsync } from '../methods/body-hash.js';
import { randomHex } from '../methods/crypto/index.js';
import { checkCustomMethods, DEFAULT_SIGNATURE_METHOD, findSignatureMethod, knownSignatureMethods, signWith } from '../methods/registry.js';
import type { BodyHashAlgorithm, KeyLike, SignatureMethod, SignatureMethodDefinition, SignatureMethodTable } from '../methods/types.js';

/** Client credentials: `secret` for HMAC and PLAINTEXT, `privateKey` for RSA. @group Client */
export interface ClientCredentials {
  key: string;
  secret?: string;
  privateKey?: KeyLike;
}

/** Token credentials (temporary or token credentials of RFC 5849 §1.1). @group Client */
export interface TokenCredentials {
  key: string;
  secret: string;
}

/**
 * Options of {@link sign}.
 *
 * @example Every option, with its default or when to use it
 * ```ts
 * const options: SignOptions = {
 *   client: { key: 'ck', secret: 'cs' },  // RSA-*: { key, privateKey: pem } instead of secret
 *   token: { key: 'tk', secret: 'ts' },   // leave out to sign with client credentials only
 *   signatureMethod: 'HMAC-SHA256',       // default 'HMAC-SHA1'
 *   realm: 'Example',                     // Authorization: OAuth realm="Example", …
 *   placement: 'header',                  // default; 'query', or 'body' for a form body
 *   bodyHash: true,                       // oauth_body_hash of a JSON or XML body
 *   includeVersion: true,                 // default: oauth_version="1.0" is sent
 *   // callback: 'oob'        only on a temporary credentials request (RFC 5849 §2.1)
 *   // verifier: '…'          only on a token request (§2.3)
 *   // nonce, timestamp       only in tests, for a reproducible signature
 * };
 * const signed = sign(
 *   { method: 'POST', url: 'https://api.example.com/items', headers: { 'Content-Type': 'application/json' }, body: '{"name":"pen"}' },
 *   options,
 * );
 * ```
 * @see RFC 5849 §3.1, §3.5
 * @group Client
 */
export interface SignOptions {
  client: ClientCredentials;
  /** Omit to sign with client credentials only (two-legged OAuth, LTI 1.1 launches). */
  token?: TokenCredentials | undefined;
  /** Default `'HMAC-SHA1'`. */
  signatureMethod?: SignatureMethod;
  realm?: string | undefined;
  /** `oauth_callback` (temporary credentials request; `'oob'` for out of band). */
  callback?: string | undefined;
  /** `oauth_verifier` (token credentials request). */
  verifier?: string | undefined;
  /** Injectable for tests; default: 128 random bits from the platform's CSPRNG, as 32 hex digits. */
  nonce?: string | undefined;
  /** Seconds since the epoch; injectable for tests; default: now. */
  timestamp?: number | string | undefined;
  /** Default true: send `oauth_version="1.0"`. */
  includeVersion?: boolean;
  /** Where the protocol parameters go. Default `'header'`. */
  placement?: 'header' | 'query' | 'body';
  /**
   * Add `oauth_body_hash` for a body that is not a form (a request without a
   * body hashes the empty string). `true` picks the hash of the signature
   * method (SHA-1 for *-SHA1 and PLAINTEXT, SHA-256 for *-SHA256, SHA-512 for
   * *-SHA512). Form bodies never carry a body hash: the extension forbids it,
   * and their parameters are signed already.
   */
  bodyHash?: boolean | BodyHashAlgorithm;
  /** Other protocol parameters to send and sign (names must start with `oauth_`). */
  extraOAuthParams?: ParamsInit | undefined;
  /** PLAINTEXT sends the secrets themselves; it is refused on a non-https URL unless this is true. */
  allowPlaintextOverHttp?: boolean;
  /** Signature methods of your own, by name, for this call (see {@link SignatureMethodDefinition}). */
  customMethods?: SignatureMethodTable | undefined;
}

/**
 * The signed request, ready to send, and what went into its signature.
 *
 * @example What sign() returns for a form POST (nonce and timestamp fixed)
 * ```ts
 * const signed: SignedRequest = sign(
 *   { method: 'POST', url: 'https://api.example.com/1.1/statuses/update.json?include_entities=true', body: { status: 'Hello Ladies + Gentlemen' } },
 *   { client: { key: 'ck', secret: 'cs' }, token: { key: 'tk', secret: 'ts' }, nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg', timestamp: 1318622958 },
 * );
 * // signed.method     'POST'
 * // signed.url        'https://api.example.com/1.1/statuses/update.json?include_entities=true'
 * // signed.headers    { 'Content-Type': 'application/x-www-form-urlencoded',
 * //                     Authorization: 'OAuth oauth_consumer_key="ck", oauth_token="tk", oauth_signature_method="HMAC-SHA1",
 * //                       oauth_timestamp="1318622958", oauth_nonce="kYjz…", oauth_version="1.0", oauth_signature="c5X1%2F2Jke0JqRnGvlt%2BHHh01K1M%3D"' }
 * // signed.body       'status=Hello%20Ladies%20%2B%20Gentlemen'
 * // signed.signature  'c5X1/2Jke0JqRnGvlt+HHh01K1M='
 * // signed.baseString 'POST&https%3A%2F%2Fapi.example.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dck%26…'
 * // signed.oauthParams [['oauth_consumer_key', 'ck'], ['oauth_token', 'tk'], …, ['oauth_signature', 'c5X1/2Jke0JqRnGvlt+HHh01K1M=']]
 * await fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body });
 * ```
 * @see RFC 5849 §3.4.1, §3.5
 * @group Client
 */
export interface SignedRequest {
  method: string;
  /**
   * The URL to send: the request URL as a WHATWG parser (and so `fetch`)
   * sends it, without fragment — dot segments resolved, characters outside
   * the URL syntax percent-encoded — which is exactly what was signed (with
   * the protocol parameters appended when placement is `'query'`).
   */
  url: string;
  /** The request's headers plus `Authorization` (placement `'header'`) and, for a form built from fields, `Content-Type`. */
  headers: Record<string, string>;
  /**
   * The body to send (a form body carries the protocol parameters when
   * placement is `'body'`), or `null` when there is none: assignable to
   * fetch's `body` as it is, under `exactOptionalPropertyTypes` too.
   */
  body: string | Uint8Array<ArrayBuffer> | null;
  /** Every protocol parameter sent, `oauth_signature` included. */
  oauthParams: Params;
  /** The signature base string, to compare with a provider's when it answers "signature invalid". */
  baseString: string;
  /** The raw signature (not percent-encoded). */
  signature: string;
}

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
const NO_BODY_METHODS = new Set(['GET', 'HEAD']);
const PLACEMENTS = ['header', 'query', 'body'] as const;

/** A body fetch takes as it is: bytes over a plain `ArrayBuffer` (a view of a `SharedArrayBuffer` is copied). */
function sendable(body: string | Uint8Array | undefined): string | Uint8Array<ArrayBuffer> | null {
  if (body === undefined) return null;
  if (typeof body === 'string') return body;
  return body.buffer instanceof ArrayBuffer ? (body as Uint8Array<ArrayBuffer>) : new Uint8Array(body);
}

/**
 * A nonce: 128 bits from the system's CSPRNG, as 32 lowercase hex digits
 * (URL-safe). `sign()` calls it when no `nonce` is given.
 *
 * @example
 * ```ts
 * generateNonce(); // e.g. 'ad2ba5f9e15038fdbb2c4675aeace4be'
 * ```
 * @see RFC 5849 §3.3
 * @group Client
 */
export function generateNonce(): string {
  return randomHex(16);
}

/** The options of one `sign()` call, checked and settled. @internal */
export interface SignSettings {
  clientKey: string;
  signatureMethod: SignatureMethod;
  definition: SignatureMethodDefinition;
  keys: { clientSecret: string | undefined; tokenSecret: string | undefined; privateKey: KeyLike | undefined };
  token: TokenCredentials | undefined;
  placement: 'header' | 'query' | 'body';
  realm: string | undefined;
  callback: string | undefined;
  verifier: string | undefined;
  nonce: string;
  timestamp: string;
  includeVersion: boolean;
  /** The body-hash algorithm to add, or false. */
  bodyHash: BodyHashAlgorithm | false;
  extra: Array<[string, string]>;
  allowPlaintextOverHttp: boolean;
}

function settleTimestamp(value: unknown): string {
  if (value === undefined) return currentTimestamp();
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || parseTimestamp(text) === undefined) throw invalidArgValue('options.timestamp', `must be ${TIMESTAMP_RULE}`);
  return text;
}

function settleToken(value: unknown): TokenCredentials | undefined {
  const token = optionalObject<TokenCredentials>(value, 'options.token', 'an object with key and secret');
  if (token === undefined) return undefined;
  return { key: string(token.key, 'options.token.key'), secret: string(token.secret, 'options.token.secret') };
}

function settleExtra(value: ParamsInit | undefined): Array<[string, string]> {
  const extra = toParams(value, 'options.extraOAuthParams');
  for (const [i, [name]] of extra.entries()) {
    if (!name.startsWith('oauth_') || name === 'oauth_signature') {
      throw invalidArgValue(`options.extraOAuthParams[${i}]`, `must name a protocol parameter other than oauth_signature (got "${name}")`);
    }
  }
  return extra;
}

function settleMethod(opts: SignOptions, client: ClientCredentials): { signatureMethod: SignatureMethod; definition: SignatureMethodDefinition } {
  const custom = checkCustomMethods(opts.customMethods, 'options.customMethods');
  const signatureMethod = string(opts.signatureMethod ?? DEFAULT_SIGNATURE_METHOD, 'options.signatureMethod');
  const definition = findSignatureMethod(signatureMethod, custom);
  if (definition === undefined) {
    throw invalidArgValue('options.signatureMethod', `"${signatureMethod}" is not a known signature method (${knownSignatureMethods(custom).join(', ')})`);
  }
  if (definition.kind === 'shared-secret') string(client.secret, 'options.client.secret', { expected: `a string for ${signatureMethod} (use '' for an empty secret)` });
  if (definition.kind === 'rsa' && client.privateKey === undefined) throw missingOption('options.client.privateKey', `for ${signatureMethod}`);
  return { signatureMethod, definition };
}

/** Checks the options of `sign()` and settles every default (nonce and timestamp included). @internal */
export function signSettings(options: SignOptions): SignSettings {
  const opts = object<SignOptions>(options, 'options');
  const client = object<ClientCredentials>(opts.client, 'options.client', 'an object with a key');
  const clientKey = string(client.key, 'options.client.key', { nonEmpty: true });
  const { signatureMethod, definition } = settleMethod(opts, client);
  const token = settleToken(opts.token);
  const nonce = opts.nonce === undefined ? generateNonce() : string(opts.nonce, 'options.nonce', { nonEmpty: true });
  const bodyHash = opts.bodyHash === undefined || opts.bodyHash === false ? false : opts.bodyHash === true ? definition.bodyHash : oneOf(opts.bodyHash, 'options.bodyHash', BODY_HASH_ALGORITHMS);
  return {
    clientKey,
    signatureMethod,
    definition,
    keys: { clientSecret: client.secret, tokenSecret: token?.secret, privateKey: client.privateKey },
    token,
    placement: oneOf(opts.placement, 'options.placement', PLACEMENTS, 'header'),
    realm: optionalString(opts.realm, 'options.realm'),
    callback: optionalString(opts.callback, 'options.callback'),
    verifier: optionalString(opts.verifier, 'options.verifier'),
    nonce,
    timestamp: settleTimestamp(opts.timestamp),
    includeVersion: boolean(opts.includeVersion, 'options.includeVersion', true),
    bodyHash,
    extra: settleExtra(opts.extraOAuthParams),
    allowPlaintextOverHttp: opts.allowPlaintextOverHttp === true,
  };
}

/** Refuses a placement or method the request cannot carry. */
function checkRequestFits(method: string, sources: ParameterSources, settings: SignSettings): void {
  if (settings.definition.revealsSecret && sources.url.protocol !== 'https:' && !settings.allowPlaintextOverHttp) {
    throw invalidArgValue('options.signatureMethod', `${settings.signatureMethod} sends the secrets in clear; use it over https only (or set options.allowPlaintextOverHttp)`);
  }
  if (settings.placement !== 'body') return;
  if (NO_BODY_METHODS.has(method)) throw invalidArgValue('options.placement', `'body' needs a method with a body, not ${method}`);
  if (sources.body.form === null && sources.body.raw !== undefined) {
    throw invalidArgValue('options.placement', `'body' needs an application/x-www-form-urlencoded body (RFC 5849 §3.5.2)`);
  }
}

/**
 * The body `oauth_body_hash` covers, when the settings ask for one: a body
 * that is not a form (a request without a body hashes the empty string). Form
 * bodies never carry a body hash: their parameters are signed already.
 * @internal
 */
export function bodyToHash(settings: SignSettings, sources: ParameterSources): { body: string | Uint8Array; hash: BodyHashAlgorithm } | undefined {
  if (settings.bodyHash === false || sources.body.form !== null) return undefined;
  return { body: sources.body.raw ?? '', hash: settings.bodyHash };
}

/**
 * RFC 5849 §3.1: the protocol parameters to sign, in the order they are sent
 * (`oauth_signature` not yet); `bodyHashValue` is the `oauth_body_hash` of
 * {@link bodyToHash}, computed by the caller (synchronously or not).
 * @internal
 */
export function protocolParameters(settings: SignSettings, bodyHashValue: string | undefined): Array<[string, string]> {
  const oauth: Array<[string, string]> = [['oauth_consumer_key', settings.clientKey]];
  if (settings.token !== undefined) oauth.push(['oauth_token', settings.token.key]);
  oauth.push(['oauth_signature_method', settings.signatureMethod], ['oauth_timestamp', settings.timestamp], ['oauth_nonce', settings.nonce]);
  if (settings.includeVersion) oauth.push(['oauth_version', '1.0']);
  if (settings.callback !== undefined) oauth.push(['oauth_callback', settings.callback]);
  if (settings.verifier !== undefined) oauth.push(['oauth_verifier', settings.verifier]);
  oauth.push(...settings.extra);
  if (bodyHashValue !== undefined) oauth.push(['oauth_body_hash', bodyHashValue]);
  return oauth;
}

/** Protocol parameter names made only of unreserved characters: percent-encoding leaves them as they are. */
const PLAIN_NAMES = new Set([
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature_method',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_version',
  'oauth_callback',
  'oauth_verifier',
  'oauth_body_hash',
  'oauth_signature',
]);

// The client key and token of the last call, encoded: most programs sign with
// the same credentials again and again. Strings are immutable, so an entry is
// right for exactly the string it was made from.
const keyMemo = { clientIn: '', clientOut: '', tokenIn: '', tokenOut: '' };

/** percentEncode of a protocol parameter's value (the credentials' keys remembered from the last call). */
function encodeProtocolValue(name: string, value: string): string {
  if (name === 'oauth_consumer_key') {
    if (keyMemo.clientIn !== value) [keyMemo.clientIn, keyMemo.clientOut] = [value, percentEncode(value)];
    return keyMemo.clientOut;
  }
  if (name === 'oauth_token') {
    if (keyMemo.tokenIn !== value) [keyMemo.tokenIn, keyMemo.tokenOut] = [value, percentEncode(value)];
    return keyMemo.tokenOut;
  }
  return percentEncode(value);
}

/**
 * The signature base string of the request with the protocol parameters
 * `oauth` (RFC 5849 §3.4.1), whose values arrive percent-encoded once in
 * `encoded` (the header uses that encoding; the base string encodes it again,
 * turning its "%"s into "%25").
 */
function baseStringOf(method: string, sources: ParameterSources, oauth: Params, encoded: readonly string[]): string {
  // RFC 5849 §3.4.1.3.1: query, form body, protocol parameters; oauth_signature left out.
  const list = new EncodedParameters();
  for (const [name, value] of sources.query) if (name !== 'oauth_signature') list.add(name, value);
  if (sources.body.form) for (const [name, value] of sources.body.form) if (name !== 'oauth_signature') list.add(name, value);
  oauth.forEach(([name], i) => list.addEncoded(PLAIN_NAMES.has(name) ? name : percentEncodeTwice(name), encodeEncoded(encoded[i] ?? '')));
  return joinBaseStringEncoded(method, targetUri(sources.url), list);
}

/** `formatAuthorizationHeader(oauth, realm)`, with the values percent-encoded already in `encoded`. */
function authorizationHeader(oauth: Params, encoded: readonly string[], realm: string | undefined): string {
  let header = realm === undefined ? 'OAuth' : `OAuth realm=${quotedString(realm)}`;
  let separator = realm === undefined ? ' ' : ', ';
  oauth.forEach(([name], i) => {
    header += `${separator}${PLAIN_NAMES.has(name) ? name : percentEncode(name)}="${encoded[i] ?? ''}"`;
    separator = ', ';
  });
  return header;
}

function bodyText(body: string | Uint8Array | undefined): string {
  return body === undefined ? '' : typeof body === 'string' ? body : new TextDecoder().decode(body);
}

/** RFC 5849 §3.5: the request to send, with the signed protocol parameters in their place. @internal */
export function placeParameters(
  req: Pick<HttpRequestLike, 'headers'>,
  sources: ParameterSources,
  oauth: Params,
  settings: Pick<SignSettings, 'placement' | 'realm'>,
  encoded: readonly string[] = oauth.map(([, value]) => percentEncode(value)),
): { url: string; headers: Record<string, string>; body: string | Uint8Array | undefined } {
  // An Authorization header already on the request is replaced.
  const headers = headersToRecord(req.headers, 'authorization');
  // The URL as a WHATWG parser (and so fetch) sends it: exactly what was signed.
  let url = sources.url.href + (sources.url.fragment ?? '');
  let body: string | Uint8Array | undefined = sources.body.raw;
  if (sources.body.fields) {
    body = formatForm(sources.body.form ?? []);
    if (sources.contentType === undefined) headers['Content-Type'] = FORM_CONTENT_TYPE;
  }
  switch (settings.placement) {
    case 'header':
      headers['Authorization'] = authorizationHeader(oauth, encoded, settings.realm);
      break;
    case 'query':
      url = appendQuery(url, formatForm(oauth));
      break;
    case 'body': {
      const existing = bodyText(body);
      const separator = existing.length === 0 || existing.endsWith('&') ? '' : '&';
      body = `${existing}${separator}${formatForm(oauth)}`;
      if (sources.contentType === undefined) headers['Content-Type'] = FORM_CONTENT_TYPE;
      break;
    }
  }
  return { url, headers, body };
}

/**
 * Signs a request: builds the protocol parameters (nonce, timestamp, method,
 * version, token, callback, verifier, body hash), computes the signature
 * over the request's query, form body and those parameters, and places them
 * in the Authorization header (default), the query or the form body.
 *
 * @example Calling X/Twitter v1.1 with user context
 * ```ts
 * const signed = sign(
 *   { method: 'POST', url: 'https://api.x.com/1.1/statuses/update.json',
 *     headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'status=Hello' },
 *   { client: { key, secret }, token: { key: tokenKey, secret: tokenSecret } },
 * );
 * await fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body });
 * ```
 * @throws TypeError naming the option for a programmer's mistake.
 * @throws {@link OAuthError} 400 when the request's query or form body is malformed.
 * @throws TypeError (`ERR_SYNC_CRYPTO_UNAVAILABLE`) in the web build (workers, edge, Deno, browsers), where WebCrypto is asynchronous: use {@link signAsync} there (PLAINTEXT without a body hash is the one case that works synchronously).
 * @see RFC 5849 §3.1, §3.5
 * @group Client
 */
export function sign(req: HttpRequestLike, opts: SignOptions): SignedRequest {
  try {
    const { request, settings, sources } = readForSigning(req, opts);
    const toHash = bodyToHash(settings, sources);
    const oauth = protocolParameters(settings, toHash && computeBodyHash(toHash.body, toHash.hash));
    // Each value is percent-encoded once, for both the base string and the header.
    const encoded = oauth.map(([name, value]) => encodeProtocolValue(name, value));
    const baseString = baseStringOf(request.method, sources, oauth, encoded);
    return signedRequest(request, sources, settings, oauth, baseString, settings.definition.sign(baseString, settings.keys), encoded);
  } catch (err) {
    throw requireAsync(err, 'sign', 'signAsync');
  }
}

/**
 * {@link sign} in every build, as a promise: the same options, the same
 * result. In the web build, where HMAC, RSA and the body hash are
 * asynchronous (WebCrypto), this is the form that works; on Node it does the
 * same work as `sign()`. The request is read when it is called, so changing
 * it afterwards changes nothing; mistakes in the options reject with the same
 * TypeErrors.
 *
 * @example Signing in a Cloudflare Worker or a browser
 * ```ts
 * const signed = await signAsync({ method: 'GET', url: 'https://api.example.com/items?page=2' },
 *   { client: { key: 'ck', secret: 'cs' }, token: { key: 'tk', secret: 'ts' }, signatureMethod: 'HMAC-SHA256' });
 * await fetch(signed.url, { headers: signed.headers });
 * ```
 * @throws TypeError naming the option for a programmer's mistake (as a rejection).
 * @throws {@link OAuthError} 400 when the request's query or form body is malformed (as a rejection).
 * @see RFC 5849 §3.1, §3.5
 * @group Client
 */
export async function signAsync(req: HttpRequestLike, opts: SignOptions): Promise<SignedRequest> {
  const { request, settings, sources } = readForSigning(req, opts);
  const toHash = bodyToHash(settings, sources);
  const oauth = protocolParameters(settings, toHash && (await bodyHashAsync(toHash.body, toHash.hash)));
  const encoded = oauth.map(([name, value]) => encodeProtocolValue(name, value));
  const baseString = baseStringOf(request.method, sources, oauth, encoded);
  return signedRequest(request, sources, settings, oauth, baseString, await signWith(settings.definition, baseString, settings.keys), encoded);
}

/** What signing reads of the request: method, URL and headers as they are now. */
interface RequestSnapshot {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/**
 * The options settled and the request read, once, before anything is signed
 * (before any await in `signAsync()`: changing the request later changes nothing).
 */
function readForSigning(req: HttpRequestLike, opts: SignOptions): { request: RequestSnapshot; settings: SignSettings; sources: ParameterSources } {
  object(req, 'request');
  const method = string(req.method, 'request.method', { nonEmpty: true }).toUpperCase();
  const settings = signSettings(opts);
  const sources = readParameterSources(req, { authorization: null });
  checkRequestFits(method, sources, settings);
  const request = { method, url: typeof req.url === 'string' ? req.url : req.url.href, headers: headersToRecord(req.headers) };
  return { request, settings, sources };
}

/** The signed request: the signature appended to the protocol parameters, placed (RFC 5849 §3.5). */
function signedRequest(
  request: RequestSnapshot,
  sources: ParameterSources,
  settings: SignSettings,
  oauth: Array<[string, string]>,
  baseString: string,
  signature: string,
  encoded: string[],
): SignedRequest {
  oauth.push(['oauth_signature', signature]);
  encoded.push(percentEncode(signature));
  const { url, headers, body } = placeParameters(request, sources, oauth, settings, encoded);
  return { method: request.method, url, headers, body: sendable(body), oauthParams: oauth, baseString, signature };
}
