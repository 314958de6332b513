/**
 * Jira (and other Atlassian Server / Data Center products) through an
 * Application Link.
 * @module
 */
import { invalidArgType } from '../../core/errors.js';
import { absoluteUrl, defineProfile, joinUrl, type ProviderProfile } from './profile.js';

const OAUTH_DOC = 'https://developer.atlassian.com/server/jira/platform/oauth/';
const REFUSAL_EXAMPLE = 'https://github.com/jira-node/node-jira-client/issues/44';

/** Options of {@link jira}. @group Providers */
export interface JiraOptions {
  /** The Jira base URL, context path included (`https://jira.example.com/jira`). */
  baseUrl: string;
}

/**
 * Jira Server / Data Center: three-legged OAuth 1.0a with RSA-SHA1; the
 * client key and public key are registered as the incoming authentication
 * of an Application Link; endpoints under `/plugins/servlet/oauth/`.
 * A refused request answers `oauth_problem=signature_invalid` with the
 * base string Jira computed (`oauth_signature_base_string`), which the flow
 * helpers compare with ours.
 *
 * @example
 * ```ts
 * import { jira } from 'oauth1/providers';
 * const j = jira({ baseUrl: 'https://jira.example.com' });
 * const client = { key: 'my-app', privateKey: pem };
 * const temp = await requestTemporaryCredentials({ ...j.temporaryCredentialsRequest(client), callback: 'https://app.example/cb' });
 * ```
 * @see https://developer.atlassian.com/server/jira/platform/oauth/
 * @group Providers
 */
export function jira(options: JiraOptions): ProviderProfile {
  if (typeof options !== 'object' || options === null) throw invalidArgType('options', 'an object with the Jira base URL');
  const base = absoluteUrl(options.baseUrl, 'options.baseUrl').href.replace(/\/+$/, '');
  return defineProfile({
    id: 'jira',
    name: 'Jira (Server / Data Center)',
    signatureMethod: 'RSA-SHA1',
    endpoints: {
      temporaryCredentials: { url: joinUrl(base, 'plugins/servlet/oauth/request-token'), method: 'POST' },
      authorization: { url: joinUrl(base, 'plugins/servlet/oauth/authorize'), tokenParameter: 'oauth_token', params: {} },
      tokenCredentials: { url: joinUrl(base, 'plugins/servlet/oauth/access-token'), method: 'POST' },
      api: joinUrl(base, 'rest/api/2'),
    },
    pitfalls: [
      'Jira accepts RSA-SHA1 only: HMAC-SHA1 is refused by many servers.',
      "The consumer key and the public key are configured in an Application Link's incoming authentication; the private key never leaves the client.",
      'Jira Cloud deprecated OAuth 1.0a; this profile is for Server and Data Center.',
      'A base URL with a context path (/jira) must be signed with it.',
    ],
    sources: [OAUTH_DOC, REFUSAL_EXAMPLE],
  });
}
