/**
 * Signing a request as a client (RFC 5849 §3.1, §3.5).
 * @module
 */
import { randomHex } from '../methods/crypto/node.js';
import { formatForm, percentEncode } from '../core/encoding.js';
import { invalidArgType, invalidArgValue, missingOption } from '../core/errors.js';
import { formatAuthorizationHeader } from '../core/header.js';
import { signatureBaseString } from '../core/base-string.js';
import { readParameterSources, signedParameters } from '../core/parameters.js';
import { appendQuery, headersToRecord, toParams, type HttpRequestLike, type Params, type ParamsInit } from '../core/request.js';
import {
  bodyHash as computeBodyHash,
  getSignatureMethod,
  type BodyHashAlgorithm,
  type KeyLike,
  type SignatureMethod,
} from '../methods/registry.js';

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

/** Options of {@link sign}. @group Client */
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
  /** Injectable for tests; default: 128 random bits from `node:crypto`, as 32 hex digits. */
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
}

/** The signed request, ready to send, and what went into its signature. @group Client */
export interface SignedRequest {
  method: string;
  /** The URL to send (with the protocol parameters when placement is `'query'`). */
  url: string;
  /** The request's headers plus `Authorization` (placement `'header'`) and, for a form built from fields, `Content-Type`. */
  headers: Record<string, string>;
  /** The body to send (a form body carries the protocol parameters when placement is `'body'`). */
  body?: string | Uint8Array;
  /** Every protocol parameter sent, `oauth_signature` included. */
  oauthParams: Params;
  /** The signature base string, to compare with a provider's when it answers "signature invalid". */
  baseString: string;
  /** The raw signature (not percent-encoded). */
  signature: string;
}

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
const NO_BODY_METHODS = new Set(['GET', 'HEAD']);

/** A nonce: 128 bits from the system's CSPRNG, as 32 lowercase hex digits (URL-safe). @group Client */
export function generateNonce(): string {
  return randomHex(16);
}

/** Seconds since the epoch. @internal */
export function currentTimestamp(now: number = Date.now()): string {
  return String(Math.floor(now / 1000));
}

function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalidArgType(path, 'a string');
  return value;
}

function optionalString(value: unknown, path: string): string | undefined {
  return value === undefined ? undefined : requireString(value, path);
}

function deleteHeader(headers: Record<string, string>, name: string): void {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) delete headers[key];
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
 * @see RFC 5849 §3.1, §3.5
 * @group Client
 */
export function sign(req: HttpRequestLike, opts: SignOptions): SignedRequest {
  if (typeof req !== 'object' || req === null) throw invalidArgType('request', 'an object');
  if (typeof opts !== 'object' || opts === null) throw invalidArgType('options', 'an object');
  const method = requireString(req.method, 'request.method').toUpperCase();
  if (method.length === 0) throw invalidArgValue('request.method', 'must not be empty');

  // Options
  const client = opts.client;
  if (typeof client !== 'object' || client === null) throw invalidArgType('options.client', 'an object with a key');
  const clientKey = requireString(client.key, 'options.client.key');
  if (clientKey.length === 0) throw invalidArgValue('options.client.key', 'must not be empty');
  const signatureMethod = opts.signatureMethod ?? 'HMAC-SHA1';
  if (typeof signatureMethod !== 'string') throw invalidArgType('options.signatureMethod', 'a string');
  const definition = getSignatureMethod(signatureMethod);
  if (definition === undefined) throw invalidArgValue('options.signatureMethod', `"${signatureMethod}" is not a known signature method`);
  if (definition.kind === 'shared-secret' && typeof client.secret !== 'string') {
    throw invalidArgType('options.client.secret', `a string for ${signatureMethod} (use '' for an empty secret)`);
  }
  if (definition.kind === 'rsa' && client.privateKey === undefined) {
    throw missingOption('options.client.privateKey', `for ${signatureMethod}`);
  }
  const token = opts.token;
  if (token !== undefined) {
    if (typeof token !== 'object' || token === null) throw invalidArgType('options.token', 'an object with key and secret');
    requireString(token.key, 'options.token.key');
    requireString(token.secret, 'options.token.secret');
  }
  const placement = opts.placement ?? 'header';
  if (placement !== 'header' && placement !== 'query' && placement !== 'body') {
    throw invalidArgValue('options.placement', `must be 'header', 'query' or 'body'`);
  }
  const realm = optionalString(opts.realm, 'options.realm');
  const callback = optionalString(opts.callback, 'options.callback');
  const verifier = optionalString(opts.verifier, 'options.verifier');
  const nonce = opts.nonce === undefined ? generateNonce() : requireString(opts.nonce, 'options.nonce');
  if (nonce.length === 0) throw invalidArgValue('options.nonce', 'must not be empty');
  let timestamp: string;
  if (opts.timestamp === undefined) timestamp = currentTimestamp();
  else if (typeof opts.timestamp === 'number' && Number.isSafeInteger(opts.timestamp) && opts.timestamp > 0) timestamp = String(opts.timestamp);
  else if (typeof opts.timestamp === 'string' && /^[1-9][0-9]*$/.test(opts.timestamp)) timestamp = opts.timestamp;
  else throw invalidArgValue('options.timestamp', 'must be a positive integer number of seconds since the epoch');
  const includeVersion = opts.includeVersion ?? true;
  if (typeof includeVersion !== 'boolean') throw invalidArgType('options.includeVersion', 'a boolean');
  const bodyHashOption = opts.bodyHash ?? false;
  if (typeof bodyHashOption !== 'boolean' && !['SHA-1', 'SHA-256', 'SHA-512'].includes(bodyHashOption)) {
    throw invalidArgValue('options.bodyHash', `must be a boolean, 'SHA-1', 'SHA-256' or 'SHA-512'`);
  }
  const extra = toParams(opts.extraOAuthParams, 'options.extraOAuthParams');
  for (const [i, [name]] of extra.entries()) {
    if (!name.startsWith('oauth_') || name === 'oauth_signature') {
      throw invalidArgValue(`options.extraOAuthParams[${i}]`, `must name a protocol parameter other than oauth_signature (got "${name}")`);
    }
  }

  // The request, read once (an Authorization header already on it is replaced).
  const sources = readParameterSources(req, { authorization: null });
  const url = sources.url;
  if (definition.revealsSecret && url.protocol !== 'https:' && opts.allowPlaintextOverHttp !== true) {
    throw invalidArgValue('options.signatureMethod', `${signatureMethod} sends the secrets in clear; use it over https only (or set options.allowPlaintextOverHttp)`);
  }
  const isForm = sources.body.form !== null;
  if (placement === 'body') {
    if (NO_BODY_METHODS.has(method)) throw invalidArgValue('options.placement', `'body' needs a method with a body, not ${method}`);
    if (!isForm && sources.body.raw !== undefined) {
      throw invalidArgValue('options.placement', `'body' needs an application/x-www-form-urlencoded body (RFC 5849 §3.5.2)`);
    }
  }

  // RFC 5849 §3.1: the protocol parameters.
  const oauth: Array<[string, string]> = [['oauth_consumer_key', clientKey]];
  if (token !== undefined) oauth.push(['oauth_token', token.key]);
  oauth.push(['oauth_signature_method', signatureMethod], ['oauth_timestamp', timestamp], ['oauth_nonce', nonce]);
  if (includeVersion) oauth.push(['oauth_version', '1.0']);
  if (callback !== undefined) oauth.push(['oauth_callback', callback]);
  if (verifier !== undefined) oauth.push(['oauth_verifier', verifier]);
  oauth.push(...extra);
  if (bodyHashOption !== false && !isForm) {
    const algorithm = bodyHashOption === true ? definition.bodyHash : bodyHashOption;
    oauth.push(['oauth_body_hash', computeBodyHash(sources.body.raw ?? '', algorithm)]);
  }

  const params = signedParameters(sources);
  params.push(...oauth);
  const baseString = signatureBaseString({ method, url, params });
  const signature = definition.sign(baseString, {
    clientSecret: client.secret,
    tokenSecret: token?.secret,
    privateKey: client.privateKey,
  });
  oauth.push(['oauth_signature', signature]);

  // RFC 5849 §3.5: placement.
  const headers = headersToRecord(req.headers);
  deleteHeader(headers, 'authorization');
  let outUrl = typeof req.url === 'string' ? req.url : req.url.href;
  let body: string | Uint8Array | undefined = sources.body.raw;
  if (sources.body.fields) {
    body = formatForm(sources.body.form ?? []);
    if (sources.contentType === undefined) headers['Content-Type'] = FORM_CONTENT_TYPE;
  }
  switch (placement) {
    case 'header':
      headers['Authorization'] = formatAuthorizationHeader(oauth, realm);
      break;
    case 'query':
      outUrl = appendQuery(outUrl, formatForm(oauth));
      break;
    case 'body': {
      const existing = body === undefined ? '' : typeof body === 'string' ? body : new TextDecoder().decode(body);
      body = existing.length === 0 || existing.endsWith('&') ? `${existing}${formatForm(oauth)}` : `${existing}&${formatForm(oauth)}`;
      if (sources.contentType === undefined) headers['Content-Type'] = FORM_CONTENT_TYPE;
      break;
    }
  }

  const signed: SignedRequest = { method, url: outUrl, headers, oauthParams: oauth, baseString, signature };
  if (body !== undefined) signed.body = body;
  return signed;
}

