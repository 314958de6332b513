/**
 * Flickr.
 * @module
 */
import { invalidArgValue } from '../../core/errors.js';
import { defineProfile, type ProviderProfile } from './profile.js';

const AUTH_DOC = 'https://www.flickr.com/services/api/auth.oauth.html';
const PERMS_PITFALL = 'https://python-social-auth.readthedocs.io/en/latest/backends/flickr.html';

/** Options of {@link flickr}. @group Providers */
export interface FlickrOptions {
  /** `perms` of the authorize page: `read` (default), `write` or `delete`; each includes the ones before. */
  perms?: 'read' | 'write' | 'delete';
}

/**
 * Flickr: three-legged OAuth 1.0a with HMAC-SHA1 under
 * `www.flickr.com/services/oauth/`; the authorize page needs `perms`.
 *
 * @example
 * ```ts
 * import { flickr } from 'oauth1/providers';
 * const f = flickr({ perms: 'write' });
 * ```
 * @see https://www.flickr.com/services/api/auth.oauth.html
 * @group Providers
 */
export function flickr(options: FlickrOptions = {}): ProviderProfile {
  const perms = options.perms ?? 'read';
  if (perms !== 'read' && perms !== 'write' && perms !== 'delete') throw invalidArgValue('options.perms', 'must be read, write or delete');
  return defineProfile({
    id: 'flickr',
    name: 'Flickr',
    signatureMethod: 'HMAC-SHA1',
    endpoints: {
      temporaryCredentials: { url: 'https://www.flickr.com/services/oauth/request_token', method: 'POST' },
      authorization: { url: 'https://www.flickr.com/services/oauth/authorize', tokenParameter: 'oauth_token', params: { perms } },
      tokenCredentials: { url: 'https://www.flickr.com/services/oauth/access_token', method: 'POST' },
      api: 'https://api.flickr.com/services/rest',
    },
    pitfalls: [
      'Without perms the authorize page answers "Oops! Flickr doesn\'t recognise the permission set."',
      'Tokens carry the permission level they were authorized with: asking for more means authorizing again.',
      'Flickr serves its OAuth endpoints over https only.',
    ],
    sources: [AUTH_DOC, PERMS_PITFALL],
  });
}
