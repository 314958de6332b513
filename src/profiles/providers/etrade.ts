/**
 * E*TRADE API.
 * @module
 */
import { invalidArgType } from '../../core/errors.js';
import { defineProfile, type ProviderEndpoint, type ProviderProfile } from './profile.js';

const REQUEST_TOKEN_DOC = 'https://apisb.etrade.com/docs/api/authorization/request_token.html';
const AUTHORIZE_DOC = 'https://apisb.etrade.com/docs/api/authorization/authorize.html';
const ACCESS_TOKEN_DOC = 'https://apisb.etrade.com/docs/api/authorization/get_access_token.html';
const RENEW_DOC = 'https://apisb.etrade.com/docs/api/authorization/renew_access_token.html';

/** Options of {@link etrade}. @group Providers */
export interface ETradeOptions {
  /** The consumer key: the authorize page takes it as `key`. */
  consumerKey: string;
  /** Use the sandbox API host (`apisb.etrade.com`); the OAuth endpoints are the same. */
  sandbox?: boolean;
}

/** What {@link etrade} returns. @group Providers */
export interface ETradeProfile extends ProviderProfile {
  /** `GET /oauth/renew_access_token` (after two hours idle) and `GET /oauth/revoke_access_token`. */
  readonly tokenEndpoints: { readonly renew: ProviderEndpoint; readonly revoke: ProviderEndpoint };
}

/**
 * E*TRADE: HMAC-SHA1 only; every OAuth endpoint is a GET; `oauth_callback`
 * must always be `oob`; the authorize page is
 * `https://us.etrade.com/e/t/etws/authorize?key=<consumer key>&token=<request token>`
 * — `key` and `token`, not `oauth_token`. Request tokens live five minutes,
 * access tokens until midnight US Eastern time (renew after two hours idle).
 *
 * @example
 * ```ts
 * import { etrade } from 'oauth1/providers';
 * const et = etrade({ consumerKey: client.key });
 * const temp = await requestTemporaryCredentials(et.temporaryCredentialsRequest(client));
 * const url = et.authorizationUrl(temp.key); // …/authorize?key=…&token=…
 * ```
 * @see https://apisb.etrade.com/docs/api/authorization/authorize.html
 * @group Providers
 */
export function etrade(options: ETradeOptions): ETradeProfile {
  if (typeof options !== 'object' || options === null) throw invalidArgType('options', 'an object with the consumer key');
  if (typeof options.consumerKey !== 'string' || options.consumerKey.length === 0) {
    throw invalidArgType('options.consumerKey', 'a non-empty string (the authorize page takes it as "key")');
  }
  const api = options.sandbox ? 'https://apisb.etrade.com' : 'https://api.etrade.com';
  const profile = defineProfile({
    id: 'etrade',
    name: 'E*TRADE',
    signatureMethod: 'HMAC-SHA1',
    callback: 'oob',
    endpoints: {
      temporaryCredentials: { url: 'https://api.etrade.com/oauth/request_token', method: 'GET' },
      authorization: { url: 'https://us.etrade.com/e/t/etws/authorize', tokenParameter: 'token', params: { key: options.consumerKey } },
      tokenCredentials: { url: 'https://api.etrade.com/oauth/access_token', method: 'GET' },
      api: `${api}/v1`,
    },
    pitfalls: [
      'The authorize URL takes key=<consumer key> and token=<request token>, not oauth_token.',
      "oauth_callback must be 'oob' even when a callback URL is registered for the key.",
      'All OAuth endpoints are GET requests.',
      'Request tokens expire after five minutes; access tokens at midnight US Eastern time, and after two hours without a request until renewed.',
      'The timestamp must be within five minutes of the server clock.',
    ],
    sources: [REQUEST_TOKEN_DOC, AUTHORIZE_DOC, ACCESS_TOKEN_DOC, RENEW_DOC],
  });
  const tokenEndpoints = Object.freeze({
    renew: Object.freeze({ url: 'https://api.etrade.com/oauth/renew_access_token', method: 'GET' as const }),
    revoke: Object.freeze({ url: 'https://api.etrade.com/oauth/revoke_access_token', method: 'GET' as const }),
  });
  return Object.freeze({ ...profile, tokenEndpoints });
}
