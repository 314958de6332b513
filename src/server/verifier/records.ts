/**
 * Judging what the lookups found, before the signature is checked: which
 * secrets or key the signature is checked with (dummies where a record is
 * missing or unusable), and what the exact problem would be. A record the
 * verifier cannot use safely — an empty shared secret, a `signatureMethods`
 * that is not a list, a key that does not parse — is never trusted and
 * never a 500: it is refused like an unknown key, and reported to `onDebug`
 * as a configuration problem.
 * @module
 * @internal
 */
import type { OAuthProblem } from '../../core/errors.js';
import type { KeyLike } from '../../methods/types.js';
import type { VerifierConfig } from './config.js';
import type { Found } from './lookup.js';
import type { ProtocolParams } from './protocol-params.js';
import type { ClientRecord, TokenRecord } from './types.js';

/** What would be answered if the request proved it holds the secrets, and what went wrong with the data. */
export interface Problem {
  problem: OAuthProblem;
  message: string;
  parameter: string;
  /** Answered only once the signature verified with the real secrets (a revoked token, a method the client may not use). */
  afterSignature: boolean;
  configurationError?: string;
}

/** The records, judged. */
export interface Judged<C extends ClientRecord, T extends TokenRecord> {
  /** The client, when its record is usable for this request's method. */
  client: C | undefined;
  /** The token, when its record is usable (a revoked one still is: its secret proves who signed). */
  token: T | undefined;
  clientSecret: string | undefined;
  tokenSecret: string | undefined;
  publicKey: KeyLike | undefined;
  problem: Problem | undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function problem(p: OAuthProblem, message: string, parameter: string, extra: Partial<Problem> = {}): Problem {
  return { problem: p, message, parameter, afterSignature: false, ...extra };
}

/** Why a client record cannot sign with this method (or what it may not do), or undefined. */
function clientProblem(client: unknown, params: ProtocolParams, config: VerifierConfig<any, any>): Problem | undefined {
  if (client == null) return problem('consumer_key_unknown', 'the client is unknown', 'oauth_consumer_key');
  const unusable = (why: string): Problem => problem('consumer_key_unknown', 'the client is unknown', 'oauth_consumer_key', { configurationError: `the client record ${why}` });
  if (!isRecord(client)) return unusable(`is a ${Array.isArray(client) ? 'array' : typeof client}, not an object`);
  const methods = client['signatureMethods'];
  if (methods !== undefined && (!Array.isArray(methods) || !methods.every((m) => typeof m === 'string'))) {
    return unusable('has signatureMethods that is not an array of method names');
  }
  const rejected = problem('signature_method_rejected', `this client may not use ${params.signatureMethod}`, 'oauth_signature_method');
  if (params.definition.kind === 'rsa') {
    if (client['publicKey'] === undefined || client['publicKey'] === null) return rejected;
  } else {
    const secret = client['secret'];
    if (secret === undefined || secret === null) return client['publicKey'] == null ? unusable('has no secret') : rejected;
    if (typeof secret !== 'string') return unusable('has a secret that is not a string');
    if (secret === '' && !config.allowEmptySecret) return unusable('has an empty secret (set allowEmptySecret to accept one)');
  }
  if (methods !== undefined && !(methods as string[]).includes(params.signatureMethod)) return { ...rejected, afterSignature: true };
  return undefined;
}

/** Why a token record cannot be used, or undefined. */
function tokenProblem(token: unknown, params: ProtocolParams, config: VerifierConfig<any, any>): Problem | undefined {
  if (params.token === undefined) return undefined;
  if (config.lookupToken === undefined) return problem('token_rejected', 'this server does not accept tokens here', 'oauth_token');
  if (token == null) return problem('token_rejected', 'the token is unknown or expired', 'oauth_token');
  const unusable = (why: string): Problem => problem('token_rejected', 'the token is unknown or expired', 'oauth_token', { configurationError: `the token record ${why}` });
  if (!isRecord(token)) return unusable(`is a ${Array.isArray(token) ? 'array' : typeof token}, not an object`);
  if (typeof token['secret'] !== 'string') return unusable('has a secret that is not a string');
  const owner = token['clientKey'];
  if (owner !== undefined && typeof owner !== 'string') return unusable('has a clientKey that is not a string');
  const revoked = token['revoked'];
  // Anything but absent or false counts as revoked: a careless "yes" or 1 must not let a revoked token through.
  if (revoked !== undefined && revoked !== false && revoked !== null) {
    return problem('token_revoked', 'the token has been revoked', 'oauth_token', {
      afterSignature: true,
      ...(typeof revoked !== 'boolean' ? { configurationError: 'the token record has a revoked flag that is not a boolean' } : {}),
    });
  }
  if (owner !== undefined && owner !== params.consumerKey) {
    return problem('token_rejected', 'the token was issued to another client', 'oauth_token', { afterSignature: true });
  }
  return undefined;
}

/** The order in which problems are answered (the first found wins): the client, then the token. */
export function judgeRecords<C extends ClientRecord, T extends TokenRecord>(params: ProtocolParams, found: Found<C, T>, config: VerifierConfig<C, T>): Judged<C, T> {
  const client = clientProblem(found.client, params, config);
  const token = tokenProblem(found.token, params, config);
  const clientUsable = client === undefined || client.afterSignature;
  const tokenUsable = token === undefined || token.afterSignature;
  const usableClient = clientUsable ? (found.client ?? undefined) : undefined;
  const usableToken = tokenUsable && params.token !== undefined ? (found.token ?? undefined) : undefined;
  return {
    client: usableClient,
    token: usableToken,
    clientSecret: usableClient?.secret,
    tokenSecret: usableToken?.secret,
    publicKey: usableClient?.publicKey ?? undefined,
    problem: client ?? token,
  };
}
