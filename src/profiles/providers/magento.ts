/**
 * Magento 2 / Adobe Commerce integrations.
 * @module
 */
import { parseForm } from '../../core/encoding.js';
import { invalidArgType, invalidArgValue } from '../../core/errors.js';
import { absoluteUrl, defineProfile, joinUrl, type ProviderProfile } from './profile.js';

const OAUTH_DOC = 'https://developer.adobe.com/commerce/webapi/get-started/authentication/gs-authentication-oauth';
const TOKEN_DOC = 'https://developer.adobe.com/commerce/webapi/get-started/authentication/gs-authentication-token/';
const PLATFORM_SOURCE = 'https://github.com/magento/magento2/blob/2.4-develop/lib/internal/Magento/Framework/Oauth/Oauth.php';

/** What Magento posts to the integration's Callback URL when the merchant activates it. @group Providers */
export interface MagentoActivation {
  storeBaseUrl: string;
  verifier: string;
  client: { key: string; secret: string };
}

/** Options of {@link magento}. @group Providers */
export interface MagentoOptions {
  /** The store's base URL (`store_base_url` of the activation). */
  baseUrl: string;
  /**
   * Default `'HMAC-SHA256'`, the only method current releases accept
   * (`Magento\Framework\Oauth\Oauth::getSupportedSignatureMethods`); older
   * stores, whose documentation names HMAC-SHA1, need `'HMAC-SHA1'`.
   */
  signatureMethod?: 'HMAC-SHA256' | 'HMAC-SHA1';
}

/** What {@link magento} returns. @group Providers */
export interface MagentoProfile extends ProviderProfile {
  /** `https://store/rest/<path>` (for example `V1/products/24-MB01`). */
  apiUrl(path: string): string;
}

/**
 * Reads the activation POST Magento sends to the integration's Callback
 * URL (`store_base_url`, `oauth_verifier`, `oauth_consumer_key`,
 * `oauth_consumer_secret`).
 *
 * @example In the integration's Callback URL handler (Express with express.urlencoded())
 * ```ts
 * const { storeBaseUrl, client, verifier } = parseMagentoActivation(req.body);
 * // store client ({ key, secret }) for storeBaseUrl, then exchange the verifier for token credentials
 * ```
 * @throws TypeError naming the missing field.
 * @see https://developer.adobe.com/commerce/webapi/get-started/authentication/gs-authentication-oauth#activate-an-integration
 * @group Providers
 */
export function parseMagentoActivation(body: string | URLSearchParams | Readonly<Record<string, string>>): MagentoActivation {
  let fields: Map<string, string>;
  if (typeof body === 'string') fields = new Map(parseForm(body.trim()));
  else if (body instanceof URLSearchParams) fields = new Map(body);
  else if (typeof body === 'object' && body !== null) fields = new Map(Object.entries(body));
  else throw invalidArgType('body', 'the activation form body (string, URLSearchParams or object)');
  const get = (name: string): string => {
    const v = fields.get(name);
    if (typeof v !== 'string' || v.length === 0) throw invalidArgValue(`body.${name}`, 'is missing from the activation request');
    return v;
  };
  const storeBaseUrl = absoluteUrl(get('store_base_url'), 'body.store_base_url').href;
  return { storeBaseUrl, verifier: get('oauth_verifier'), client: { key: get('oauth_consumer_key'), secret: get('oauth_consumer_secret') } };
}

/**
 * Magento 2 integrations: the merchant activates the integration, Magento
 * posts the client credentials and a verifier to the Callback URL
 * ({@link parseMagentoActivation}), the integration asks `POST
 * /oauth/token/request` for a request token and exchanges it with the
 * verifier at `POST /oauth/token/access` — no authorization page — then
 * signs `/rest/...` calls in the Authorization header.
 *
 * @example
 * ```ts
 * import { magento, parseMagentoActivation } from 'oauth1/providers';
 * import { requestTemporaryCredentials, requestTokenCredentials } from 'oauth1';
 * const act = parseMagentoActivation(rawBody);
 * const store = magento({ baseUrl: act.storeBaseUrl });
 * const temp = await requestTemporaryCredentials(store.temporaryCredentialsRequest(act.client));
 * const token = await requestTokenCredentials(store.tokenCredentialsRequest(act.client, temp, act.verifier));
 * ```
 * @see https://developer.adobe.com/commerce/webapi/get-started/authentication/gs-authentication-oauth
 * @group Providers
 */
export function magento(options: MagentoOptions): MagentoProfile {
  if (typeof options !== 'object' || options === null) throw invalidArgType('options', 'an object with the store base URL');
  const base = absoluteUrl(options.baseUrl, 'options.baseUrl').href.replace(/\/+$/, '');
  const signatureMethod = options.signatureMethod ?? 'HMAC-SHA256';
  if (signatureMethod !== 'HMAC-SHA256' && signatureMethod !== 'HMAC-SHA1') {
    throw invalidArgValue('options.signatureMethod', `"${String(signatureMethod)}" is not accepted by Magento (HMAC-SHA256; HMAC-SHA1 on older stores)`);
  }
  const profile = defineProfile({
    id: 'magento',
    name: 'Magento 2',
    signatureMethod,
    // Request and access token answers carry no oauth_callback_confirmed.
    requireCallbackConfirmed: false,
    endpoints: {
      temporaryCredentials: { url: joinUrl(base, 'oauth/token/request'), method: 'POST' },
      tokenCredentials: { url: joinUrl(base, 'oauth/token/access'), method: 'POST' },
      api: joinUrl(base, 'rest'),
    },
    pitfalls: [
      'There is no authorization page: the verifier comes with the activation POST to the Callback URL.',
      'Current releases accept HMAC-SHA256 only, although the documentation still names HMAC-SHA1.',
      'oauth_version, when sent, must be 1.0.',
      'Since 2.4.4 access tokens are no longer accepted as Bearer tokens unless the store allows it; signed requests keep working.',
    ],
    sources: [OAUTH_DOC, PLATFORM_SOURCE, TOKEN_DOC],
  });
  const apiUrl = (path: string): string => joinUrl(joinUrl(base, 'rest'), path);
  return Object.freeze({ ...profile, apiUrl });
}
