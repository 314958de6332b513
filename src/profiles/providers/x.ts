/**
 * X (Twitter) API v1.1 user context.
 * @module
 */
import { sign, type SignOptions } from '../../client/sign.js';
import { invalidArgValue } from '../../core/errors.js';
import { absoluteUrl, defineProfile, joinUrl, type ProviderCredentials, type ProviderProfile } from './profile.js';

const AUTHORIZE_DOC = 'https://developer.x.com/en/docs/authentication/api-reference/authorize';
const AUTHENTICATE_DOC = 'https://developer.x.com/en/docs/authentication/api-reference/authenticate';
const REQUEST_TOKEN_DOC = 'https://developer.x.com/en/docs/authentication/api-reference/request_token';
const SIGNATURE_DOC = 'https://developer.x.com/en/docs/authentication/oauth-1-0a/creating-a-signature';
const ECHO_DOC = 'https://developer.x.com/en/docs/authentication/oauth-1-0a/oauth-echo';

/** Options of {@link x}. @group Providers */
export interface XOptions {
  /**
   * `'authorize'` (default) asks the user every time and is the only page
   * desktop apps may use; `'authenticate'` ("Sign in with X") skips the
   * approval when the user already granted the app, if the app has "Use
   * Sign in with Twitter" enabled.
   * @see https://developer.x.com/en/docs/authentication/api-reference/authenticate
   */
  authorizePage?: 'authorize' | 'authenticate';
  /** `force_login=true`: the user must enter their credentials again. */
  forceLogin?: boolean;
  /** `screen_name`: prefills the login form. */
  screenName?: string;
  /**
   * `x_auth_access_type` of the request_token call: ask for less than the
   * app's permission level (`read`) or `write`.
   * @see https://developer.x.com/en/docs/authentication/api-reference/request_token
   */
  accessType?: 'read' | 'write';
  /** Default `https://api.x.com` (`https://api.twitter.com` still answers). */
  baseUrl?: string;
}

/** Headers of an OAuth Echo delegation. @group Providers */
export interface OAuthEchoHeaders {
  'X-Auth-Service-Provider': string;
  'X-Verify-Credentials-Authorization': string;
}

/** What {@link x} returns: the profile and OAuth Echo. @group Providers */
export interface XProfile extends ProviderProfile {
  /**
   * OAuth Echo: the two headers a consumer sends to a delegator (a media
   * host) so that it can check the user with X: `X-Auth-Service-Provider`
   * is the verify_credentials URL, `X-Verify-Credentials-Authorization` the
   * Authorization header of a GET to that URL, signed by the consumer with
   * the user's token. The delegator replays it before `oauth_timestamp`
   * expires.
   * @see https://developer.x.com/en/docs/authentication/oauth-1-0a/oauth-echo
   */
  oauthEcho(credentials: ProviderCredentials, options?: { url?: string; nonce?: string; timestamp?: number | string }): OAuthEchoHeaders;
}

/**
 * X (Twitter) OAuth 1.0a: HMAC-SHA1 in the Authorization header,
 * three-legged; `POST oauth/request_token` takes the callback,
 * `oauth/authorize` or `oauth/authenticate` the user, `POST
 * oauth/access_token` the verifier.
 *
 * @example Sign in with X
 * ```ts
 * import { x } from 'oauth1/providers';
 * import { requestTemporaryCredentials, requestTokenCredentials } from 'oauth1';
 * const profile = x({ authorizePage: 'authenticate' });
 * const temp = await requestTemporaryCredentials({ ...profile.temporaryCredentialsRequest(client), callback: 'https://app.example/cb' });
 * const url = profile.authorizationUrl(temp.key);
 * ```
 * @see https://developer.x.com/en/docs/authentication/oauth-1-0a/creating-a-signature
 * @group Providers
 */
export function x(options: XOptions = {}): XProfile {
  const base = absoluteUrl(options.baseUrl ?? 'https://api.x.com', 'options.baseUrl').href;
  const page = options.authorizePage ?? 'authorize';
  if (page !== 'authorize' && page !== 'authenticate') throw invalidArgValue('options.authorizePage', `must be 'authorize' or 'authenticate'`);
  const params: Record<string, string> = {};
  if (options.forceLogin) params['force_login'] = 'true';
  if (options.screenName !== undefined) params['screen_name'] = options.screenName;
  let requestToken = joinUrl(base, 'oauth/request_token');
  if (options.accessType !== undefined) {
    if (options.accessType !== 'read' && options.accessType !== 'write') throw invalidArgValue('options.accessType', `must be 'read' or 'write'`);
    requestToken += `?x_auth_access_type=${options.accessType}`;
  }
  const verifyCredentials = joinUrl(base, '1.1/account/verify_credentials.json');
  const profile = defineProfile({
    id: 'x',
    name: 'X (Twitter)',
    signatureMethod: 'HMAC-SHA1',
    endpoints: {
      temporaryCredentials: { url: requestToken, method: 'POST' },
      authorization: { url: joinUrl(base, `oauth/${page}`), tokenParameter: 'oauth_token', params },
      tokenCredentials: { url: joinUrl(base, 'oauth/access_token'), method: 'POST' },
      api: joinUrl(base, '1.1'),
    },
    pitfalls: [
      'oauth_callback goes to POST oauth/request_token, never to the authorize page.',
      "oauth/authenticate only skips the approval screen when the app enables 'Sign in with Twitter'; desktop apps must use oauth/authorize.",
      "The documentation's signature example exists for api.twitter.com/1, api.twitter.com/1.1 and api.x.com/1.1; each printed signature belongs to its own URL.",
      'OAuth Echo: the delegator must replay the request before oauth_timestamp expires, unchanged.',
    ],
    sources: [SIGNATURE_DOC, AUTHORIZE_DOC, AUTHENTICATE_DOC, REQUEST_TOKEN_DOC, ECHO_DOC],
  });
  const oauthEcho: XProfile['oauthEcho'] = (credentials, echo = {}) => {
    const url = echo.url === undefined ? verifyCredentials : absoluteUrl(echo.url, 'options.url').href;
    const overrides: Partial<SignOptions> = {};
    if (echo.nonce !== undefined) overrides.nonce = echo.nonce;
    if (echo.timestamp !== undefined) overrides.timestamp = echo.timestamp;
    const signed = sign({ method: 'GET', url }, profile.signOptions(credentials, overrides));
    return { 'X-Auth-Service-Provider': url, 'X-Verify-Credentials-Authorization': signed.headers['Authorization'] ?? '' };
  };
  return Object.freeze({ ...profile, oauthEcho });
}
