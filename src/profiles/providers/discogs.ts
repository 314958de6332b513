/**
 * Discogs API.
 * @module
 */
import { invalidArgType } from '../../core/errors.js';
import { defineProfile, type ProviderProfile } from './profile.js';

const AUTH_DOC = 'https://www.discogs.com/developers/#page:authentication,header:authentication-oauth-flow';

/** Options of {@link discogs}. @group Providers */
export interface DiscogsOptions {
  /** The User-Agent Discogs requires on every request (`MyApp/1.0 +https://myapp.example`). */
  userAgent: string;
}

/**
 * Discogs: three-legged OAuth 1.0a with PLAINTEXT (the signature is the
 * encoded secrets, so https only); `GET /oauth/request_token`, the
 * authorize page on discogs.com, `POST /oauth/access_token`; a unique
 * User-Agent on every request.
 *
 * @example
 * ```ts
 * import { discogs } from 'oauth1/providers';
 * const d = discogs({ userAgent: 'CrateDigger/1.0 +https://crate.example' });
 * const temp = await requestTemporaryCredentials({ ...d.temporaryCredentialsRequest(client), callback: 'https://crate.example/cb' });
 * ```
 * @see https://www.discogs.com/developers/#page:authentication,header:authentication-oauth-flow
 * @group Providers
 */
export function discogs(options: DiscogsOptions): ProviderProfile {
  if (typeof options !== 'object' || options === null || typeof options.userAgent !== 'string' || options.userAgent.trim().length === 0) {
    throw invalidArgType('options.userAgent', 'a non-empty string identifying your application (Discogs requires a User-Agent)');
  }
  return defineProfile({
    id: 'discogs',
    name: 'Discogs',
    signatureMethod: 'PLAINTEXT',
    headers: { 'User-Agent': options.userAgent },
    endpoints: {
      temporaryCredentials: { url: 'https://api.discogs.com/oauth/request_token', method: 'GET' },
      authorization: { url: 'https://discogs.com/oauth/authorize', tokenParameter: 'oauth_token', params: {} },
      tokenCredentials: { url: 'https://api.discogs.com/oauth/access_token', method: 'POST' },
      api: 'https://api.discogs.com',
    },
    pitfalls: [
      'PLAINTEXT sends the secrets themselves: only ever over https.',
      'Requests without a descriptive User-Agent are refused.',
      'The request token endpoint is a GET; the access token endpoint a POST.',
    ],
    sources: [AUTH_DOC],
  });
}
