/**
 * Trello.
 * @module
 */
import { invalidArgType, invalidArgValue } from '../../core/errors.js';
import { defineProfile, type ProviderProfile } from './profile.js';

const AUTH_DOC = 'https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/';

const SCOPES = new Set(['read', 'write', 'account']);
const EXPIRATIONS = new Set(['1hour', '1day', '30days', 'never']);

/** Options of {@link trello}. @group Providers */
export interface TrelloOptions {
  /** `name`: the application name the user sees on the authorize page. */
  name: string;
  /** `scope`: any of `read`, `write`, `account`. Default `['read']`. */
  scope?: ReadonlyArray<'read' | 'write' | 'account'>;
  /** `expiration`: `1hour`, `1day`, `30days` (Trello's default) or `never`. */
  expiration?: '1hour' | '1day' | '30days' | 'never';
}

/**
 * Trello: three-legged OAuth 1.0a with HMAC-SHA1
 * (`trello.com/1/OAuthGetRequestToken`, `OAuthAuthorizeToken`,
 * `OAuthGetAccessToken`); the authorize page takes `name`, `scope` (comma
 * separated) and `expiration`.
 *
 * @example
 * ```ts
 * import { trello } from 'oauth1/providers';
 * const t = trello({ name: 'My Board Sync', scope: ['read', 'write'], expiration: 'never' });
 * location.href = t.authorizationUrl(temp.key);
 * ```
 * @see https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/
 * @group Providers
 */
export function trello(options: TrelloOptions): ProviderProfile {
  if (typeof options !== 'object' || options === null) throw invalidArgType('options', 'an object with the application name');
  if (typeof options.name !== 'string' || options.name.length === 0) throw invalidArgType('options.name', 'a non-empty string (Trello shows it to the user)');
  const scope = options.scope ?? ['read'];
  if (!Array.isArray(scope) || scope.length === 0) throw invalidArgType('options.scope', "a non-empty array of 'read', 'write', 'account'");
  for (const s of scope) if (!SCOPES.has(s)) throw invalidArgValue('options.scope', `"${String(s)}" is not a Trello scope (read, write, account)`);
  const expiration = options.expiration ?? '30days';
  if (!EXPIRATIONS.has(expiration)) throw invalidArgValue('options.expiration', `must be 1hour, 1day, 30days or never`);
  return defineProfile({
    id: 'trello',
    name: 'Trello',
    signatureMethod: 'HMAC-SHA1',
    endpoints: {
      temporaryCredentials: { url: 'https://trello.com/1/OAuthGetRequestToken', method: 'POST' },
      authorization: {
        url: 'https://trello.com/1/OAuthAuthorizeToken',
        tokenParameter: 'oauth_token',
        params: { name: options.name, scope: [...new Set(scope)].join(','), expiration },
      },
      tokenCredentials: { url: 'https://trello.com/1/OAuthGetAccessToken', method: 'POST' },
      api: 'https://api.trello.com/1',
    },
    pitfalls: [
      'Without name the user sees "An unknown application" on the authorize page.',
      'The default expiration is 30 days; ask for never if the integration runs unattended.',
      'The account scope is needed to read the user\'s email address.',
    ],
    sources: [AUTH_DOC],
  });
}
