/**
 * The conformance protocol of the vectors corpus: one JSON request in, one
 * JSON result out. The CLI's `sign --json` speaks it, and so does every
 * adapter the conformance runner drives.
 * @module
 */
import { sign, signAsync, type SignedRequest, type SignOptions } from '../client/sign.js';
import { formatForm } from '../core/encoding.js';
import { OAuthError } from '../core/errors.js';
import { appendQuery, isFormContentType, type HttpRequestLike } from '../core/request.js';
import { getSignatureMethod } from '../methods/registry.js';

type Pairs = Array<[string, string]>;

/** A conformance-protocol request (wire names, as in vectors/README.md). @group Conformance */
export interface ConformanceRequest {
  method: string;
  url: string;
  query?: Pairs | null;
  form?: Pairs | null;
  consumer_key: string;
  consumer_secret?: string | null;
  token?: string | null;
  token_secret?: string | null;
  signature_method: string;
  rsa_private_key_pem?: string | null;
  nonce: string;
  timestamp: string | number;
  realm?: string | null;
  extra_oauth?: Pairs | null;
  include_version?: boolean | null;
  body?: string | null;
  content_type?: string | null;
  body_hash?: boolean | null;
}

/** A conformance-protocol result. @group Conformance */
export interface ConformanceResult {
  base_string: string | null;
  signature: string | null;
  authorization: string | null;
  error?: string;
  unsupported?: true;
}

const FORM = 'application/x-www-form-urlencoded';

function failure(message: string): ConformanceResult {
  return { base_string: null, signature: null, authorization: null, error: message };
}

type SignArgs = [HttpRequestLike, SignOptions];

/**
 * The request and options of `sign()` a conformance request stands for, or
 * the result to answer at once (a method this library does not have, an
 * input it cannot read).
 * @internal
 */
export function conformanceSignArgs(input: ConformanceRequest): { args: SignArgs } | { result: ConformanceResult } {
  if (typeof input !== 'object' || input === null) return { result: failure('the request must be a JSON object') };
  if (typeof input.signature_method !== 'string' || getSignatureMethod(input.signature_method) === undefined) {
    return { result: { base_string: null, signature: null, authorization: null, unsupported: true } };
  }
  const headers: Record<string, string> = {};
  let body: string | undefined;
  const form = input.form ?? [];
  if (form.length > 0 && input.body != null) return { result: failure('"form" and "body" cannot both be given') };
  if (form.length > 0) {
    body = formatForm(form);
    headers['Content-Type'] = input.content_type ?? FORM;
  } else if (input.body != null) {
    body = input.body;
    if (input.content_type != null) headers['Content-Type'] = input.content_type;
  } else if (input.content_type != null && isFormContentType(input.content_type)) {
    headers['Content-Type'] = input.content_type;
  }
  const request = { method: input.method, url: appendQuery(input.url, formatForm(input.query ?? [])), headers, ...(body !== undefined ? { body } : {}) };
  return { args: [request, signOptionsOf(input)] };
}

function signOptionsOf(input: ConformanceRequest): SignOptions {
  return {
    client: {
      key: input.consumer_key,
      secret: input.consumer_secret ?? '',
      ...(input.rsa_private_key_pem != null ? { privateKey: input.rsa_private_key_pem } : {}),
    },
    ...(input.token != null ? { token: { key: input.token, secret: input.token_secret ?? '' } } : {}),
    signatureMethod: input.signature_method,
    nonce: input.nonce,
    timestamp: typeof input.timestamp === 'number' ? input.timestamp : String(input.timestamp),
    ...(input.realm != null ? { realm: input.realm } : {}),
    extraOAuthParams: input.extra_oauth ?? [],
    includeVersion: input.include_version ?? true,
    bodyHash: input.body_hash === true,
    allowPlaintextOverHttp: true,
  };
}

function resultOf(signed: SignedRequest): ConformanceResult {
  return { base_string: signed.baseString, signature: signed.signature, authorization: signed.headers['Authorization'] ?? null };
}

function failed(err: unknown): ConformanceResult {
  if (err instanceof OAuthError || err instanceof TypeError) return failure(err.message);
  throw err;
}

/**
 * Signs one conformance-protocol request with this library.
 * @group Conformance
 */
export function signConformanceRequest(input: ConformanceRequest): ConformanceResult {
  try {
    const prepared = conformanceSignArgs(input);
    return 'result' in prepared ? prepared.result : resultOf(sign(...prepared.args));
  } catch (err) {
    return failed(err);
  }
}

/**
 * {@link signConformanceRequest} through `signAsync()`: the form every build
 * has (the web build's runtime tests run the vectors with it).
 * @group Conformance
 */
export async function signConformanceRequestAsync(input: ConformanceRequest): Promise<ConformanceResult> {
  try {
    const prepared = conformanceSignArgs(input);
    return 'result' in prepared ? prepared.result : resultOf(await signAsync(...prepared.args));
  } catch (err) {
    return failed(err);
  }
}
