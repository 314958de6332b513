/**
 * The server side of RFC 5849 §2: the temporary credential, resource owner
 * authorization and token endpoints, direct issuance and revocation of token
 * credentials, over storage the server keeps (through callbacks, as for the
 * verifier).
 *
 * Every endpoint authenticates the request with the verifier's phases first;
 * the state checks of the flow (callback, limit, verifier, one-time use,
 * expiry) run only for an authenticated request.
 *
 * @module
 */
import { providerSettings } from './settings.js';
import { approveTemporary, issueTemporary, pendingTemporary } from './temporary.js';
import { exchangeTemporary, issueToken, revokeToken } from './token.js';
import type { Provider, ProviderClientRecord, ProviderOptions } from './types.js';

export type * from './types.js';

/**
 * Creates the provider side of RFC 5849 §2 over the server's storage.
 * Options are checked here, once. The endpoints:
 *
 * 1. `requestTemporaryCredentials` verifies a request signed with client
 *    credentials only (an empty `oauth_token` is accepted, RFC 5849 §2.1),
 *    requires `oauth_callback` (absolute URI or `oob`, matched against the
 *    client's registered callbacks), asks `allowTemporary`, then stores
 *    temporary credentials valid `temporaryTtl` seconds and answers
 *    `oauth_token`, `oauth_token_secret`, `oauth_callback_confirmed=true`.
 * 2. `pendingAuthorization` and `authorize` serve the authorization page.
 *    Nothing is ever approved automatically: the verifier exists only once
 *    `authorize` is called, and a token request made before is refused with
 *    401 `permission_unknown` (RFC 5849 §4.15).
 * 3. `requestTokenCredentials` verifies a request signed with the temporary
 *    credentials; then, in order: `oauth_verifier` present (400
 *    `parameter_absent`), issued to this client (401 `token_rejected`), not
 *    used (401 `token_used`), not expired (401 `token_expired`), approved
 *    (401 `permission_unknown`); then it takes them from the store atomically
 *    (a concurrent exchange gets `token_used`) and compares the verifier in
 *    constant time (401 `verifier_invalid`). Once taken they are spent, a
 *    wrong verifier included, so a verifier cannot be guessed twice.
 * 4. `verifier` verifies requests for protected resources (401
 *    `token_revoked` after `revokeToken`).
 *
 * Credentials come from {@link generateCredentials} (192-bit key, 256-bit
 * secret), verifiers are 160 random bits; all base64url. Failures throw
 * {@link OAuthError}; answer them as the adapters do.
 *
 * @example The three endpoints and a protected resource with Express
 * ```ts
 * const store = createMemoryProviderStore();
 * const provider = createProvider({ lookupClient: (key) => clients.get(key), store });
 * app.post('/oauth/request_token', async (req, res) => {
 *   const a = await provider.requestTemporaryCredentials({ method: 'POST', url: fullUrl(req), headers: req.headers, body: req.rawBody });
 *   res.status(a.status).set(a.headers).send(a.body);
 * });
 * app.post('/oauth/authorize', requireLogin, async (req, res) => {  // the owner clicked "Allow"
 *   const { redirectTo, verifier } = await provider.authorize(req.body.oauth_token, { owner: req.user.id });
 *   redirectTo ? res.redirect(303, redirectTo) : res.render('code', { verifier });
 * });
 * app.post('/oauth/access_token', async (req, res) => {
 *   const a = await provider.requestTokenCredentials({ method: 'POST', url: fullUrl(req), headers: req.headers, body: req.rawBody });
 *   res.status(a.status).set(a.headers).send(a.body);
 * });
 * app.get('/api/me', expressMiddleware(provider.verifier), (req, res) => res.json({ owner: req.oauth.token.owner }));
 * ```
 * @throws TypeError naming the option for a programmer's mistake.
 * @see RFC 5849 §2, §4.9, §4.10, §4.13, §4.15
 * @group Provider
 */
export function createProvider<C extends ProviderClientRecord = ProviderClientRecord>(opts: ProviderOptions<C>): Provider<C> {
  const settings = providerSettings(opts);
  return {
    requestTemporaryCredentials: (req, extra) => issueTemporary(settings, req, extra),
    async pendingAuthorization(temporaryKey) {
      const record = await pendingTemporary(settings, temporaryKey);
      return { clientKey: record.clientKey, callback: record.callback, expiresAt: record.expiresAt };
    },
    authorize: async (temporaryKey, approval) => approveTemporary(settings, temporaryKey, approval),
    requestTokenCredentials: (req, extra) => exchangeTemporary(settings, req, extra),
    issueTokenCredentials: async (grant) => issueToken(settings, grant),
    revokeToken: async (key) => revokeToken(settings, key),
    verifier: settings.resource,
  };
}
