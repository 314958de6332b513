/**
 * NetSuite token-based authentication (TBA).
 * @module
 */
import { invalidArgType, invalidArgValue } from '../../core/errors.js';
import { defineProfile, type ProviderProfile } from './profile.js';

const SIGNATURE_DOC = 'https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1534941088.html';
const HEADER_DOC = 'https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1534941295.html';
const RESTLET_DOC = 'https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1534939551.html';
const FLOW_DOC = 'https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156338994830.html';
const REALM_CASE = 'https://github.com/netsuite-upload-org/netsuite-upload/issues/38';
const HOST_SPELLING = 'https://github.com/ehmad11/netsuite-rest/issues/1';

const ACCOUNT = /^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$/;

/**
 * The realm spelling of a NetSuite account id: upper case, `_` before the
 * environment suffix (`1234567_SB1`, `TSTDRV123456`). The realm is case
 * sensitive: `1234567_sb1` is refused as an invalid login.
 *
 * @example
 * ```ts
 * netsuiteRealm('1234567-sb1'); // '1234567_SB1'
 * ```
 * @see https://github.com/netsuite-upload-org/netsuite-upload/issues/38
 * @group Providers
 */
export function netsuiteRealm(account: string): string {
  return checkAccount(account).toUpperCase().replace(/-/g, '_');
}

/**
 * The host spelling of a NetSuite account id: lower case, `-` before the
 * environment suffix (`1234567-sb1`), as in
 * `1234567-sb1.suitetalk.api.netsuite.com`.
 *
 * @example
 * ```ts
 * netsuiteHostId('1234567_SB1'); // '1234567-sb1'
 * ```
 * @see https://github.com/ehmad11/netsuite-rest/issues/1
 * @group Providers
 */
export function netsuiteHostId(account: string): string {
  return checkAccount(account).toLowerCase().replace(/_/g, '-');
}

function checkAccount(account: unknown): string {
  if (typeof account !== 'string') throw invalidArgType('options.account', 'a NetSuite account id such as "1234567" or "1234567_SB1"');
  const trimmed = account.trim();
  if (!ACCOUNT.test(trimmed)) throw invalidArgValue('options.account', `must be a NetSuite account id such as "1234567" or "1234567_SB1" (got "${trimmed.slice(0, 40)}")`);
  return trimmed;
}

/** Options of {@link netsuite}. @group Providers */
export interface NetSuiteOptions {
  /** The account id in either spelling: `1234567_SB1`, `1234567-sb1`, `TSTDRV123456`. */
  account: string;
}

/** What {@link netsuite} returns. @group Providers */
export interface NetSuiteProfile extends ProviderProfile {
  /** The account in realm spelling (`1234567_SB1`) and host spelling (`1234567-sb1`). */
  readonly account: { readonly realm: string; readonly host: string };
  /** A REST web services URL: `https://<host>.suitetalk.api.netsuite.com/services/rest/<path>`. */
  restUrl(path: string): string;
  /** A RESTlet URL: `https://<host>.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=…&deploy=…`. */
  restletUrl(script: string | number, deploy: string | number): string;
}

/**
 * NetSuite TBA: HMAC-SHA256 (HMAC-SHA1 ended with 2023.1), the
 * Authorization header with `realm` set to the account id in upper case
 * with `_` (`1234567_SB1`) while the hosts spell it in lower case with `-`
 * (`1234567-sb1.suitetalk.api.netsuite.com`). The signed fetch of this
 * profile refuses a NetSuite URL whose host uses the realm spelling.
 *
 * @example
 * ```ts
 * import { netsuite } from 'oauth1/providers';
 * import { createSignedFetch } from 'oauth1';
 * const ns = netsuite({ account: '1234567_SB1' });
 * const api = createSignedFetch(ns.signedFetchOptions({ client, token }));
 * await api(ns.restUrl('record/v1/customer/42'));
 * ```
 * @see https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1534941088.html
 * @group Providers
 */
export function netsuite(options: NetSuiteOptions): NetSuiteProfile {
  if (typeof options !== 'object' || options === null) throw invalidArgType('options', 'an object with the account id');
  const realm = netsuiteRealm(options.account);
  const host = netsuiteHostId(options.account);
  const restlets = `https://${host}.restlets.api.netsuite.com`;
  const suitetalk = `https://${host}.suitetalk.api.netsuite.com`;
  const profile = defineProfile({
    id: 'netsuite',
    name: 'NetSuite',
    signatureMethod: 'HMAC-SHA256',
    realm,
    endpoints: {
      temporaryCredentials: { url: `${restlets}/rest/requesttoken`, method: 'POST' },
      authorization: { url: `https://${host}.app.netsuite.com/app/login/secure/authorizetoken.nl`, tokenParameter: 'oauth_token', params: {} },
      tokenCredentials: { url: `${restlets}/rest/accesstoken`, method: 'POST' },
      api: `${suitetalk}/services/rest`,
    },
    checkUrl(url) {
      const hostname = url.hostname.toLowerCase();
      if (!hostname.endsWith('.netsuite.com')) return;
      const label = hostname.slice(0, hostname.indexOf('.'));
      if (label.includes('_')) {
        throw invalidArgValue('url', `host "${url.hostname}" spells the account as the realm does; NetSuite hosts use "${host}" (lower case, "-")`);
      }
      if (/^(?:[0-9]|tstdrv)/.test(label) && label !== host) {
        throw invalidArgValue('url', `host "${url.hostname}" is for account "${label}", but the profile signs for "${realm}"`);
      }
    },
    pitfalls: [
      `The realm is the account id in upper case with "_" (${realm}); the host uses lower case with "-" (${host}). Swapping them gives "Invalid login attempt".`,
      'HMAC-SHA1 is refused since 2023.1: sign with HMAC-SHA256.',
      'RESTlets take JSON bodies; only application/x-www-form-urlencoded bodies are signed, and RESTlets refuse that content type, so the body is never signed.',
      'The query (script=…&deploy=…) is signed; keep it in the URL you sign.',
    ],
    sources: [SIGNATURE_DOC, HEADER_DOC, RESTLET_DOC, FLOW_DOC, REALM_CASE, HOST_SPELLING],
  });
  const restUrl = (path: string): string => {
    if (typeof path !== 'string') throw invalidArgType('path', 'a string');
    return `${suitetalk}/services/rest/${path.replace(/^\/+/, '')}`;
  };
  const restletUrl = (script: string | number, deploy: string | number): string =>
    `${restlets}/app/site/hosting/restlet.nl?script=${encodeURIComponent(String(script))}&deploy=${encodeURIComponent(String(deploy))}`;
  return Object.freeze({ ...profile, account: Object.freeze({ realm, host }), restUrl, restletUrl });
}
