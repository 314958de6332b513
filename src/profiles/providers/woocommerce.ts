/**
 * WooCommerce REST API.
 * @module
 */
import type { ClientCredentials } from '../../client/sign.js';
import { createSignedFetch } from '../../client/signed-fetch.js';
import { invalidArgType, invalidArgValue } from '../../core/errors.js';
import type { SignatureMethod } from '../../methods/types.js';
import { absoluteUrl, defineProfile, joinUrl, withHeaders, type ProviderProfile } from './profile.js';

const AUTH_DOC = 'https://woocommerce.github.io/woocommerce-rest-api-docs/#authentication';
const SERVER_SOURCE = 'https://github.com/woocommerce/woocommerce/blob/trunk/plugins/woocommerce/includes/class-wc-rest-authentication.php';

function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Options of {@link woocommerce}. @group Providers */
export interface WooCommerceOptions {
  /** The store URL as the store's REST index gives it (with or without `www`, exactly). */
  storeUrl: string;
  /** Default `'HMAC-SHA256'`; WooCommerce accepts HMAC-SHA1 and HMAC-SHA256 only. */
  signatureMethod?: 'HMAC-SHA256' | 'HMAC-SHA1';
  /** Default `'wc/v3'`. */
  version?: string;
}

/** What {@link woocommerce} returns. @group Providers */
export interface WooCommerceProfile extends ProviderProfile {
  /** `oauth` for an http store, `basic` for an https store (as the documentation prescribes). */
  readonly authentication: 'oauth' | 'basic';
  /** `https://store/wp-json/<version>/<path>`. */
  apiUrl(path: string): string;
  /** `Basic …` for an https store: the consumer key as user name, the secret as password. */
  basicAuthorization(client: ClientCredentials): string;
  /**
   * A fetch for this store: OAuth 1.0a one-legged signing (query placement,
   * no token, no oauth_version) for an http store, HTTP Basic for an https
   * store.
   */
  createFetch(client: ClientCredentials, options?: { fetch?: typeof fetch }): typeof fetch;
}

/**
 * WooCommerce: over plain http, OAuth 1.0a "one-legged" — client
 * credentials only (the key is the consumer secret followed by `&`),
 * HMAC-SHA1 or HMAC-SHA256, the protocol parameters in the query string,
 * `oauth_version` left out, a 15-minute timestamp window. Over https the
 * documentation prescribes HTTP Basic instead (or `consumer_key` /
 * `consumer_secret` query parameters when the server drops the
 * Authorization header); a secret never travels in clear.
 *
 * @example
 * ```ts
 * import { woocommerce } from 'oauth1/providers';
 * const shop = woocommerce({ storeUrl: 'http://shop.example' });
 * const api = shop.createFetch({ key: 'ck_…', secret: 'cs_…' });
 * const orders = await (await api(shop.apiUrl('orders?status=completed'))).json();
 * ```
 * @see https://woocommerce.github.io/woocommerce-rest-api-docs/#authentication
 * @group Providers
 */
export function woocommerce(options: WooCommerceOptions): WooCommerceProfile {
  if (typeof options !== 'object' || options === null) throw invalidArgType('options', 'an object with the store URL');
  const store = absoluteUrl(options.storeUrl, 'options.storeUrl');
  const storeBase = store.href.replace(/\/+$/, '');
  const signatureMethod: SignatureMethod = options.signatureMethod ?? 'HMAC-SHA256';
  if (signatureMethod !== 'HMAC-SHA256' && signatureMethod !== 'HMAC-SHA1') {
    throw invalidArgValue('options.signatureMethod', `"${String(signatureMethod)}" is not accepted by WooCommerce (it accepts HMAC-SHA1, HMAC-SHA256)`);
  }
  const version = options.version ?? 'wc/v3';
  const authentication = store.protocol === 'https:' ? 'basic' : 'oauth';
  const profile = defineProfile({
    id: 'woocommerce',
    name: 'WooCommerce',
    signatureMethod,
    signatureMethods: [signatureMethod, signatureMethod === 'HMAC-SHA256' ? 'HMAC-SHA1' : 'HMAC-SHA256'],
    placement: 'query',
    includeVersion: false,
    tokens: 'none',
    endpoints: { api: joinUrl(storeBase, `wp-json/${version}`) },
    checkUrl(url) {
      if (url.host === store.host) return;
      const bare = (h: string) => h.replace(/^www\./, '');
      if (bare(url.host) === bare(store.host)) {
        throw invalidArgValue('url', `host "${url.host}" differs from the store URL "${store.host}" by "www.": the store signs with the URL its index gives`);
      }
    },
    pitfalls: [
      'Over http, the OAuth parameters go in the query string; some servers never pass the Authorization header to PHP.',
      'Leave oauth_version out; the documentation says it should be omitted.',
      'Sign with the store URL the REST index gives: with or without "www." exactly.',
      'The key is the consumer secret followed by "&": there is no token.',
      'Over https use HTTP Basic; a "Consumer key is missing" error means the server dropped the Authorization header: pass consumer_key and consumer_secret in the query instead.',
      'The timestamp must be within 15 minutes of the server clock.',
    ],
    sources: [AUTH_DOC, SERVER_SOURCE],
  });
  const apiUrl = (path: string): string => joinUrl(joinUrl(storeBase, `wp-json/${version}`), path);
  const basicAuthorization = (client: ClientCredentials): string => {
    if (authentication !== 'basic') throw invalidArgValue('options.storeUrl', 'is http: HTTP Basic would send the secret in clear; WooCommerce signs with OAuth 1.0a there');
    if (typeof client?.key !== 'string' || typeof client.secret !== 'string') throw invalidArgType('client', 'an object with key and secret');
    return `Basic ${base64Utf8(`${client.key}:${client.secret}`)}`;
  };
  const createFetch = (client: ClientCredentials, fetchOptions: { fetch?: typeof fetch } = {}): typeof fetch => {
    if (authentication === 'oauth') {
      const opts = profile.signedFetchOptions({ client });
      if (fetchOptions.fetch !== undefined) opts.fetch = fetchOptions.fetch;
      return createSignedFetch(opts);
    }
    return withHeaders(fetchOptions.fetch ?? globalThis.fetch, { Authorization: basicAuthorization(client) });
  };
  return Object.freeze({ ...profile, authentication, apiUrl, basicAuthorization, createFetch });
}
