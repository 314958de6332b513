/**
 * Mastercard APIs.
 * @module
 */
import { defineProfile, type ProviderProfile } from './profile.js';

const OAUTH_DOC = 'https://developer.mastercard.com/platform/documentation/authentication/using-oauth-1a-to-access-mastercard-apis/';
const SIGNER_SOURCE = 'https://github.com/Mastercard/oauth1-signer-java/blob/main/src/main/java/com/mastercard/developer/oauth/OAuth.java';
const BODY_HASH = 'https://tools.ietf.org/id/draft-eaton-oauth-bodyhash-00.html';

/** Options of {@link mastercard}. @group Providers */
export interface MastercardOptions {
  /** Use `https://sandbox.api.mastercard.com` as the API base. */
  sandbox?: boolean;
}

/**
 * Mastercard: one-legged OAuth 1.0a — client credentials only, an RSA key
 * pair per project, RSA-SHA256, the Authorization header — and
 * `oauth_body_hash` (SHA-256) on every request, GET included, where it is
 * the hash of the empty string.
 *
 * @example
 * ```ts
 * import { mastercard } from 'oauth1/providers';
 * const mc = mastercard({ sandbox: true });
 * const api = createSignedFetch(mc.signedFetchOptions({ client: { key: consumerKey, privateKey: pem } }));
 * await api('https://sandbox.api.mastercard.com/…', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
 * ```
 * @see https://developer.mastercard.com/platform/documentation/authentication/using-oauth-1a-to-access-mastercard-apis/
 * @group Providers
 */
export function mastercard(options: MastercardOptions = {}): ProviderProfile {
  return defineProfile({
    id: 'mastercard',
    name: 'Mastercard',
    signatureMethod: 'RSA-SHA256',
    bodyHash: 'SHA-256',
    tokens: 'none',
    endpoints: { api: options.sandbox ? 'https://sandbox.api.mastercard.com' : 'https://api.mastercard.com' },
    pitfalls: [
      'Every request carries oauth_body_hash, GET included: the SHA-256 of the empty string, 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=.',
      'The body hash covers the exact bytes sent: serialize the JSON once and send that string.',
      'The signing key comes from the project\'s .p12 keystore; extract the private key to PEM or pass a KeyObject.',
      'There is no token: requests are signed with the consumer key and the private key only.',
    ],
    sources: [OAUTH_DOC, SIGNER_SOURCE, BODY_HASH],
  });
}
