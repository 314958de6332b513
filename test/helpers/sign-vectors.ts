/**
 * Turning a signing vector (vectors/*.json, kind "sign") into the HTTP request
 * it describes and a verifier that knows its credentials. Shared by the tests
 * that present signatures (the vectors' own, or the peers') to our verifier.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createMemoryNonceStore, createVerifier, formatAuthorizationHeader, type ClientRecord, type HttpRequestLike } from '../../src/index.js';

export type Pair = [string, string];

/** A signing vector's input, as the vector files always spell it out. */
export interface SignInput {
  method: string;
  url: string;
  query: Pair[];
  form: Pair[];
  consumer_key: string;
  consumer_secret: string | null;
  token: string | null;
  token_secret: string | null;
  signature_method: string;
  rsa_private_key_pem: string | null;
  nonce: string;
  timestamp: string;
  realm: string | null;
  extra_oauth: Pair[];
  include_version: boolean;
  body?: string;
  content_type?: string;
  body_hash?: boolean;
}

export type VectorRequest = HttpRequestLike & { headers: Pair[] };

const FORM = 'application/x-www-form-urlencoded';

/** The public half of the vectors/keys/ RSA test key. */
export const VECTOR_RSA_PUBLIC = readFileSync(new URL('../../vectors/keys/rsa-1024-public-spki.pem', import.meta.url), 'utf8');

/** RFC 5849 §3.6 percent-encoding, written here so that building requests does not lean on the code under test. */
export function enc(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
const encodePairs = (pairs: Pair[]): string => pairs.map(([n, v]) => `${enc(n)}=${enc(v)}`).join('&');

function isForm(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.split(';')[0]!.trim().toLowerCase() === FORM;
}

/** The Authorization header carrying `signature` and the vector's protocol parameters. */
export function authorizationFor(input: SignInput, signature: string): string {
  const oauth: Pair[] = [['oauth_consumer_key', input.consumer_key]];
  if (input.token !== null) oauth.push(['oauth_token', input.token]);
  oauth.push(['oauth_signature_method', input.signature_method], ['oauth_timestamp', input.timestamp], ['oauth_nonce', input.nonce]);
  if (input.include_version) oauth.push(['oauth_version', '1.0']);
  oauth.push(...input.extra_oauth);
  if (input.body_hash && input.form.length === 0 && !isForm(input.content_type)) {
    const algorithm = input.signature_method.endsWith('SHA512') ? 'sha512' : input.signature_method.endsWith('SHA256') ? 'sha256' : 'sha1';
    oauth.push(['oauth_body_hash', createHash(algorithm).update(input.body ?? '', 'utf8').digest('base64')]);
  }
  oauth.push(['oauth_signature', signature]);
  return formatAuthorizationHeader(oauth, input.realm ?? undefined);
}

/** The HTTP request a signing vector describes, with the given Authorization header. */
export function requestFor(input: SignInput, authorization: string): VectorRequest {
  let url = input.url.split('#')[0]!; // a fragment is never sent
  if (input.query.length) {
    const sep = !url.includes('?') ? '?' : url.endsWith('?') || url.endsWith('&') ? '' : '&';
    url += sep + encodePairs(input.query);
  }
  const headers: Pair[] = [];
  let body: string | undefined;
  if (input.form.length) {
    body = encodePairs(input.form);
    headers.push(['Content-Type', input.content_type ?? FORM]);
  } else if (input.body !== undefined) {
    body = input.body;
    if (input.content_type !== undefined) headers.push(['Content-Type', input.content_type]);
  }
  headers.push(['Authorization', authorization]);
  return { method: input.method, url, headers, ...(body !== undefined ? { body } : {}) };
}

/** A verifier that knows the vector's credentials, allows every method (PLAINTEXT over http too) and runs at its timestamp. */
export function verifierFor(input: SignInput) {
  const client: ClientRecord = input.rsa_private_key_pem !== null ? { publicKey: VECTOR_RSA_PUBLIC } : { secret: input.consumer_secret ?? '' };
  return createVerifier({
    lookupClient: (key) => (key === input.consumer_key ? client : undefined),
    lookupToken: (token) => (token === input.token ? { secret: input.token_secret ?? '' } : undefined),
    signatureMethods: ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'RSA-SHA1', 'RSA-SHA256', 'RSA-SHA512', 'PLAINTEXT'],
    allowPlaintextOverHttp: true,
    // A signing vector with an empty client secret is valid signing; a server must opt in to accept one.
    allowEmptySecret: input.consumer_secret === '' || input.consumer_secret === null,
    tokenRequired: false,
    clock: () => Number(input.timestamp) * 1000,
    nonceStore: createMemoryNonceStore(),
  });
}
