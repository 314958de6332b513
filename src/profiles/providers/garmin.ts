/**
 * Garmin Connect Developer Program (Health and Activity APIs).
 * @module
 */
import { absoluteUrl, defineProfile, type ProviderProfile } from './profile.js';

const OAUTH_DOC = 'https://pdfcoffee.com/garmin-api-pdf-free.html';
const ENDPOINTS = 'https://docs.mirobody.ai/examples/garmin-provider';
const RETIREMENT = 'https://github.com/RADAR-base/RADAR-Rest-Source-Auth/issues/313';

/** Options of {@link garmin}. @group Providers */
export interface GarminOptions {
  /** Added to the oauthConfirm page as `oauth_callback` (Garmin also takes it there). */
  callback?: string;
}

/**
 * Garmin Connect: three-legged OAuth 1.0a with HMAC-SHA1 in the
 * Authorization header; `POST connectapi.garmin.com/oauth-service/oauth/request_token`,
 * the user consents at `connect.garmin.com/oauthConfirm`, `POST
 * …/oauth/access_token`. Garmin's own OAuth document sits behind the
 * developer portal login; the public copy is cited.
 *
 * @example
 * ```ts
 * import { garmin } from 'oauth1/providers';
 * const g = garmin({ callback: 'https://app.example/garmin/cb' });
 * ```
 * @see https://pdfcoffee.com/garmin-api-pdf-free.html
 * @group Providers
 */
export function garmin(options: GarminOptions = {}): ProviderProfile {
  const params: Record<string, string> = {};
  if (options.callback !== undefined) params['oauth_callback'] = absoluteUrl(options.callback, 'options.callback').href;
  return defineProfile({
    id: 'garmin',
    name: 'Garmin Connect',
    signatureMethod: 'HMAC-SHA1',
    endpoints: {
      temporaryCredentials: { url: 'https://connectapi.garmin.com/oauth-service/oauth/request_token', method: 'POST' },
      authorization: { url: 'https://connect.garmin.com/oauthConfirm', tokenParameter: 'oauth_token', params },
      tokenCredentials: { url: 'https://connectapi.garmin.com/oauth-service/oauth/access_token', method: 'POST' },
      api: 'https://apis.garmin.com/wellness-api/rest',
    },
    pitfalls: [
      'The user access token is the user identifier in PING/PUSH notifications until the OAuth 2.0 migration.',
      'Garmin retires OAuth 1.0a on 2026-12-31 (migration notice to partners).',
    ],
    sources: [OAUTH_DOC, ENDPOINTS, RETIREMENT],
  });
}
