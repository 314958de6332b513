/**
 * The profiles by identifier, for tools that name a provider in text (the
 * CLI's `--provider`).
 * @module
 */
import { invalidArgType, invalidArgValue } from '../../core/errors.js';
import { discogs } from './discogs.js';
import { etrade } from './etrade.js';
import { flickr } from './flickr.js';
import { garmin } from './garmin.js';
import { jira } from './jira.js';
import { magento } from './magento.js';
import { mastercard } from './mastercard.js';
import { netsuite } from './netsuite.js';
import type { ProviderProfile } from './profile.js';
import { schoology } from './schoology.js';
import { trello } from './trello.js';
import { woocommerce } from './woocommerce.js';
import { x } from './x.js';

/** The options any profile may need, as text (CLI flags). @group Providers */
export interface ProfileFactoryOptions {
  /** NetSuite account id. */
  account?: string;
  /** Base URL: WooCommerce store, Magento store, Jira, Schoology site. */
  baseUrl?: string;
  /** E*TRADE consumer key (the authorize page's `key`). */
  consumerKey?: string;
  /** Trello application name, Discogs User-Agent. */
  name?: string;
  /** Use the provider's sandbox hosts (E*TRADE, Mastercard). */
  sandbox?: boolean;
}

function need(value: string | undefined, flag: string, id: string): string {
  if (value === undefined || value.length === 0) throw invalidArgValue(`options.${flag}`, `is required for the ${id} profile`);
  return value;
}

const FACTORIES: Readonly<Record<string, (o: ProfileFactoryOptions) => ProviderProfile>> = {
  x: (o) => x(o.baseUrl !== undefined ? { baseUrl: o.baseUrl } : {}),
  netsuite: (o) => netsuite({ account: need(o.account, 'account', 'netsuite') }),
  woocommerce: (o) => woocommerce({ storeUrl: need(o.baseUrl, 'baseUrl', 'woocommerce') }),
  magento: (o) => magento({ baseUrl: need(o.baseUrl, 'baseUrl', 'magento') }),
  jira: (o) => jira({ baseUrl: need(o.baseUrl, 'baseUrl', 'jira') }),
  garmin: () => garmin(),
  trello: (o) => trello({ name: o.name ?? 'oauth1' }),
  flickr: () => flickr(),
  etrade: (o) => etrade({ consumerKey: need(o.consumerKey, 'consumerKey', 'etrade'), ...(o.sandbox ? { sandbox: true } : {}) }),
  schoology: (o) => schoology(o.baseUrl !== undefined ? { site: o.baseUrl } : {}),
  mastercard: (o) => mastercard(o.sandbox ? { sandbox: true } : {}),
  discogs: (o) => discogs({ userAgent: o.name ?? 'oauth1-cli' }),
};

/** The identifiers {@link createProfile} knows. @group Providers */
export const providerIds: readonly string[] = Object.freeze(Object.keys(FACTORIES));

/**
 * A profile by identifier, with its options given as text.
 *
 * @example
 * ```ts
 * const ns = createProfile('netsuite', { account: '1234567_SB1' });
 * ns.signatureMethod; // 'HMAC-SHA256'
 * ns.realm;           // '1234567_SB1'
 * ```
 * @throws TypeError for an unknown identifier or a missing option.
 * @group Providers
 */
export function createProfile(id: string, options: ProfileFactoryOptions = {}): ProviderProfile {
  if (typeof id !== 'string') throw invalidArgType('id', 'a provider identifier string');
  const factory = Object.hasOwn(FACTORIES, id) ? FACTORIES[id] : undefined;
  if (factory === undefined) throw invalidArgValue('id', `"${id}" is not a known provider (known: ${providerIds.join(', ')})`);
  return factory(options);
}
