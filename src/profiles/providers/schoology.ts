/**
 * Schoology API.
 * @module
 */
import { absoluteUrl, defineProfile, type ProviderProfile } from './profile.js';

const AUTH_DOC = 'https://developers.schoology.com/api-documentation/authentication';
const DOMAINS_DOC = 'http://developers.schoology.com/app-platform/handling-domains';
const SDK_SOURCE = 'https://github.com/schoology/schoology_php_sdk/blob/master/SchoologyApi.class.php';

/** Options of {@link schoology}. @group Providers */
export interface SchoologyOptions {
  /**
   * The user's Schoology site (`https://district.schoology.com`): the
   * authorize page must be on the domain the user logged in to. Default
   * `https://app.schoology.com`.
   */
  site?: string;
  /** Default `'HMAC-SHA1'`; the documentation also recommends `'PLAINTEXT'` (https only). */
  signatureMethod?: 'HMAC-SHA1' | 'PLAINTEXT';
}

/**
 * Schoology: the Authorization header with `realm="Schoology API"`;
 * HMAC-SHA1 or PLAINTEXT. Two-legged requests (client credentials only)
 * still send `oauth_token`, empty; three-legged ones get tokens from `GET
 * /v1/oauth/request_token`, the user's own Schoology site's
 * `/oauth/authorize`, and `GET /v1/oauth/access_token`.
 *
 * @example Two-legged
 * ```ts
 * import { schoology } from 'oauth1/providers';
 * const s = schoology();
 * const api = createSignedFetch(s.signedFetchOptions({ client: { key, secret } }));
 * await api('https://api.schoology.com/v1/users/me');
 * ```
 * @see https://developers.schoology.com/api-documentation/authentication
 * @group Providers
 */
export function schoology(options: SchoologyOptions = {}): ProviderProfile {
  const site = absoluteUrl(options.site ?? 'https://app.schoology.com', 'options.site').origin;
  const signatureMethod = options.signatureMethod ?? 'HMAC-SHA1';
  return defineProfile({
    id: 'schoology',
    name: 'Schoology',
    signatureMethod,
    signatureMethods: signatureMethod === 'PLAINTEXT' ? ['PLAINTEXT', 'HMAC-SHA1'] : ['HMAC-SHA1', 'PLAINTEXT'],
    realm: 'Schoology API',
    tokens: 'optional',
    emptyToken: true,
    requireCallbackConfirmed: false,
    endpoints: {
      temporaryCredentials: { url: 'https://api.schoology.com/v1/oauth/request_token', method: 'GET' },
      authorization: { url: `${site}/oauth/authorize`, tokenParameter: 'oauth_token', params: {} },
      tokenCredentials: { url: 'https://api.schoology.com/v1/oauth/access_token', method: 'GET' },
      api: 'https://api.schoology.com/v1',
    },
    pitfalls: [
      'Two-legged requests still carry oauth_token, as an empty string.',
      'Send the user to the authorize page of the domain they logged in to, or the token may be tied to another user logged in on app.schoology.com.',
      'Timestamps must not go backwards: a nonce is checked per timestamp and timestamps must be in sequence.',
      'The API answers redirects (303) that must be signed again, not followed with the old header.',
    ],
    sources: [AUTH_DOC, DOMAINS_DOC, SDK_SOURCE],
  });
}
