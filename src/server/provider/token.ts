/**
 * RFC 5849 §2.3 on the provider's side: exchanging approved temporary
 * credentials for token credentials, issuing them directly, revoking them.
 * @module
 * @internal
 */
import { object, string } from '../../core/validate.js';
import { constantTimeEqual } from '../../methods/crypto/index.js';
import { generateCredentials } from '../credentials.js';
import type { TokenCredentialsRecord } from '../provider-store.js';
import type { VerifyExtra } from '../verifier/types.js';
import { answer, param, requireTransport, runEndpoint } from './endpoint.js';
import type { ProviderSettings } from './settings.js';
import { checkGrant } from './temporary.js';
import type { CredentialsResponse, ProviderClientRecord, ProviderRequest } from './types.js';

type Attributes = Readonly<Record<string, unknown>> | undefined;

/** Stores new token credentials for a resource owner. */
export async function newToken(settings: ProviderSettings<any>, clientKey: string, owner: string, attributes: Attributes): Promise<TokenCredentialsRecord> {
  const { key, secret } = generateCredentials();
  const record: TokenCredentialsRecord = { key, secret, clientKey, owner, createdAt: settings.clock() };
  if (attributes !== undefined) record.attributes = attributes;
  await settings.store.saveToken({ ...record });
  return record;
}

/** The token request endpoint (RFC 5849 §2.3). */
export async function exchangeTemporary<C extends ProviderClientRecord>(
  settings: ProviderSettings<C>,
  req: ProviderRequest<C>,
  extra: VerifyExtra | undefined,
): Promise<CredentialsResponse<TokenCredentialsRecord>> {
  const { fail } = settings;
  const verified = await runEndpoint(settings.token, req, extra);
  requireTransport(settings, verified);
  const temporary = verified.token;
  const sent = param(verified, 'oauth_verifier');
  const rejected = { parametersRejected: ['oauth_token'] };
  if (sent === undefined) throw fail(400, 'parameter_absent', 'oauth_verifier is required', { parametersAbsent: ['oauth_verifier'] });
  if (temporary === undefined || temporary.clientKey !== verified.consumerKey) {
    throw fail(401, 'token_rejected', 'the temporary credentials were issued to another client', rejected);
  }
  if (temporary.used === true) throw fail(401, 'token_used', 'the temporary credentials have been used already', rejected);
  if (settings.clock() >= temporary.expiresAt) throw fail(401, 'token_expired', 'the temporary credentials have expired', rejected);
  if (temporary.verifier === undefined) throw fail(401, 'permission_unknown', 'the resource owner has not authorized this request (yet)', rejected);
  // RFC 5849 §2.3: used once. Taken before the verifier is compared, so a wrong one spends them too.
  const taken = await settings.store.takeTemporary(temporary.key);
  if (taken == null) throw fail(401, 'token_used', 'the temporary credentials have been used already', rejected);
  if (typeof taken.verifier !== 'string' || typeof taken.owner !== 'string' || !constantTimeEqual(taken.verifier, sent)) {
    throw fail(401, 'verifier_invalid', 'oauth_verifier does not match; start the authorization again', { parametersRejected: ['oauth_verifier'] });
  }
  const record = await newToken(settings, taken.clientKey, taken.owner, taken.attributes);
  return answer([['oauth_token', record.key], ['oauth_token_secret', record.secret]], record);
}

/** Token credentials for a resource owner without the redirection flow. */
export function issueToken(settings: ProviderSettings<any>, grant: { clientKey: string; owner: string; attributes?: Attributes }): Promise<TokenCredentialsRecord> {
  object(grant, 'grant', 'an object with clientKey and owner');
  string(grant.clientKey, 'grant.clientKey', { nonEmpty: true });
  checkGrant(grant.owner, grant.attributes, 'grant');
  return newToken(settings, grant.clientKey, grant.owner, grant.attributes);
}

/** Revokes token credentials; `true` when they existed. */
export async function revokeToken(settings: ProviderSettings<any>, key: unknown): Promise<boolean> {
  return (await settings.store.revokeToken(string(key, 'key'))) === true;
}
