/**
 * RFC 5849 §2.1 and §2.2 on the provider's side: issuing temporary
 * credentials, and the resource owner's approval.
 * @module
 * @internal
 */
import { formatForm } from '../../core/encoding.js';
import { appendQuery } from '../../core/request.js';
import { object, string } from '../../core/validate.js';
import { randomBase64url } from '../../methods/crypto/index.js';
import { generateCredentials } from '../credentials.js';
import type { TemporaryCredentialsRecord } from '../provider-store.js';
import type { VerifyExtra } from '../verifier/types.js';
import { callbackProblem } from './callbacks.js';
import { answer, param, requireTransport, runEndpoint } from './endpoint.js';
import type { ProviderSettings } from './settings.js';
import type { Authorization, CredentialsResponse, ProviderClientRecord, ProviderRequest } from './types.js';

/** The temporary credential request endpoint (RFC 5849 §2.1). */
export async function issueTemporary<C extends ProviderClientRecord>(
  settings: ProviderSettings<C>,
  req: ProviderRequest<C>,
  extra: VerifyExtra | undefined,
): Promise<CredentialsResponse<TemporaryCredentialsRecord>> {
  const { fail } = settings;
  const verified = await runEndpoint(settings.temporary, req, extra);
  requireTransport(settings, verified);
  const callback = param(verified, 'oauth_callback');
  if (callback === undefined) throw fail(400, 'parameter_absent', 'oauth_callback is required (an absolute URI, or "oob")', { parametersAbsent: ['oauth_callback'] });
  const problem = callbackProblem(callback, verified.client.callbacks);
  if (problem !== undefined) throw fail(400, 'parameter_rejected', `oauth_callback ${problem}`, { parametersRejected: ['oauth_callback'] });
  if (settings.allowTemporary !== undefined && (await settings.allowTemporary(verified.consumerKey, verified)) !== true) {
    throw fail(429, 'consumer_key_rejected', 'this client may not request more temporary credentials now; try again later');
  }
  const { key, secret } = generateCredentials();
  const createdAt = settings.clock();
  const record: TemporaryCredentialsRecord = {
    key,
    secret,
    clientKey: verified.consumerKey,
    callback,
    createdAt,
    expiresAt: createdAt + Math.round(settings.temporaryTtl * 1000),
  };
  await settings.store.saveTemporary({ ...record });
  return answer([['oauth_token', key], ['oauth_token_secret', secret], ['oauth_callback_confirmed', 'true']], record);
}

/** The record behind `key` if it can still be approved; else the OAuthError to answer. */
export async function pendingTemporary(settings: ProviderSettings<any>, temporaryKey: unknown): Promise<TemporaryCredentialsRecord> {
  const { fail } = settings;
  const key = string(temporaryKey, 'temporaryKey', { nonEmpty: true });
  const rejected = { parametersRejected: ['oauth_token'] };
  const record = await settings.store.getTemporary(key);
  if (record == null) throw fail(401, 'token_rejected', 'the temporary credentials are unknown or expired', rejected);
  if (record.used === true) throw fail(401, 'token_used', 'the temporary credentials have been used already', rejected);
  if (settings.clock() >= record.expiresAt) throw fail(401, 'token_expired', 'the temporary credentials have expired', rejected);
  if (record.verifier !== undefined) throw fail(401, 'token_used', 'the temporary credentials have been authorized already', rejected);
  return record;
}

/** Checks who approves, and what. */
export function checkGrant(owner: unknown, attributes: unknown, path: string): void {
  string(owner, `${path}.owner`, { nonEmpty: true, expected: 'a string (the resource owner)' });
  if (attributes !== undefined) object(attributes, `${path}.attributes`);
}

/** Records the resource owner's approval (RFC 5849 §2.2): a new verifier, and where to send the owner. */
export async function approveTemporary(
  settings: ProviderSettings<any>,
  temporaryKey: unknown,
  approval: { owner: string; attributes?: Readonly<Record<string, unknown>> | undefined },
): Promise<Authorization> {
  const key = string(temporaryKey, 'temporaryKey', { nonEmpty: true });
  object(approval, 'approval', 'an object with the owner');
  checkGrant(approval.owner, approval.attributes, 'approval');
  await pendingTemporary(settings, key);
  // 160 random bits, base64url.
  const verifier = randomBase64url(20);
  const approved = await settings.store.approveTemporary(key, {
    verifier,
    owner: approval.owner,
    ...(approval.attributes !== undefined ? { attributes: approval.attributes } : {}),
  });
  if (approved == null) {
    throw settings.fail(401, 'token_used', 'the temporary credentials have been authorized or used already', { parametersRejected: ['oauth_token'] });
  }
  // RFC 5849 §2.2: append oauth_token and oauth_verifier to the callback's query.
  const redirectTo =
    approved.callback === 'oob' ? undefined : appendQuery(approved.callback, formatForm([['oauth_token', key], ['oauth_verifier', verifier]]));
  return { clientKey: approved.clientKey, callback: approved.callback, expiresAt: approved.expiresAt, verifier, redirectTo };
}
