/**
 * Provider profiles: the documented rules of the OAuth 1.0 providers people
 * integrate with, as data plus the options they give to `sign`,
 * `createSignedFetch` and the flow helpers of `oauth1`.
 *
 * @example NetSuite
 * ```ts
 * import { createSignedFetch } from 'oauth1';
 * import { netsuite } from 'oauth1/providers';
 * const ns = netsuite({ account: '1234567_SB1' });
 * const api = createSignedFetch(ns.signedFetchOptions({ client, token }));
 * const res = await api(ns.restUrl('record/v1/customer/42'));
 * ```
 * @module oauth1/providers
 */
export {
  defineProfile,
  type ProviderProfile,
  type ProviderRules,
  type ProviderEndpoint,
  type ProviderEndpoints,
  type ProviderAuthorization,
  type ProviderCredentials,
  type TemporaryCredentialsRequest,
  type TokenCredentialsRequest,
  type ProfileSpec,
} from './profile.js';
export { x, type XOptions, type XProfile, type OAuthEchoHeaders } from './x.js';
export { netsuite, netsuiteRealm, netsuiteHostId, type NetSuiteOptions, type NetSuiteProfile } from './netsuite.js';
export { woocommerce, type WooCommerceOptions, type WooCommerceProfile } from './woocommerce.js';
export { magento, parseMagentoActivation, type MagentoOptions, type MagentoProfile, type MagentoActivation } from './magento.js';
export { jira, type JiraOptions } from './jira.js';
export { garmin, type GarminOptions } from './garmin.js';
export { trello, type TrelloOptions } from './trello.js';
export { flickr, type FlickrOptions } from './flickr.js';
export { etrade, type ETradeOptions, type ETradeProfile } from './etrade.js';
export { schoology, type SchoologyOptions } from './schoology.js';
export { mastercard, type MastercardOptions } from './mastercard.js';
export { discogs, type DiscogsOptions } from './discogs.js';
export { providerIds, createProfile, type ProfileFactoryOptions } from './registry.js';
