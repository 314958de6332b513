/**
 * Phase 5 of a verification: the signature, computed over the server's own
 * base string whatever the lookups found (with a dummy secret or key where
 * they found nothing), compared in constant time; then what the lookups
 * found is judged.
 * @module
 * @internal
 */
import { signatureBaseString } from '../../core/base-string.js';
import { signedParameters } from '../../core/parameters.js';
import type { Params } from '../../core/request.js';
import { dummyRsaPublicKey } from '../../methods/crypto/node.js';
import type { SignatureMethodDefinition } from '../../methods/types.js';
import type { VerifierConfig } from './config.js';
import { refuse } from './failure.js';
import type { Found } from './lookup.js';
import type { ProtocolParams } from './protocol-params.js';
import type { ReceivedRequest } from './read-request.js';
import type { ClientRecord, TokenRecord } from './types.js';

/** The signed parameters and base string of a request. */
export interface SignedView {
  params: Params;
  baseString: string;
}

/** The server's base string for the request (RFC 5849 §3.4.1). */
export function serverBaseString(received: ReceivedRequest): SignedView {
  const params = signedParameters(received.sources);
  return { params, baseString: signatureBaseString({ method: received.method, url: received.url, params }) };
}

function clientAccepts(client: ClientRecord, method: string, def: SignatureMethodDefinition): boolean {
  if (Array.isArray(client.signatureMethods) && !client.signatureMethods.includes(method)) return false;
  return def.kind === 'rsa' ? client.publicKey !== undefined : typeof client.secret === 'string';
}

function signatureMatches<C extends ClientRecord, T extends TokenRecord>(
  baseString: string,
  params: ProtocolParams,
  found: Found<C, T>,
  usable: boolean,
  config: VerifierConfig<C, T>,
): boolean {
  const { definition: def, signature } = params;
  const client = usable ? found.client : undefined;
  if (def.kind === 'rsa') return def.verify(baseString, signature, { publicKey: client?.publicKey ?? dummyRsaPublicKey() });
  const token = found.token;
  const tokenSecret = params.token === undefined ? '' : token != null && typeof token.secret === 'string' ? token.secret : config.dummySecret;
  return def.verify(baseString, signature, { clientSecret: typeof client?.secret === 'string' ? client.secret : config.dummySecret, tokenSecret });
}

/**
 * Checks the signature and what the lookups found, in this order: unknown
 * client, tokens not accepted, unknown token, revoked token, method not
 * allowed for the client, signature. Returns the client and token.
 */
export function checkSignature<C extends ClientRecord, T extends TokenRecord>(
  view: SignedView,
  params: ProtocolParams,
  found: Found<C, T>,
  config: VerifierConfig<C, T>,
): { client: C; token: T | undefined } {
  const { client, token } = found;
  const usable = client != null && clientAccepts(client, params.signatureMethod, params.definition);
  const valid = signatureMatches(view.baseString, params, found, usable, config);
  const rejected = (what: string): { parametersRejected: string[] } => ({ parametersRejected: [what] });
  if (client == null) throw refuse('lookup', 401, 'consumer_key_unknown', 'the client is unknown', rejected('oauth_consumer_key'));
  if (params.token !== undefined && config.lookupToken === undefined) {
    throw refuse('lookup', 401, 'token_rejected', 'this server does not accept tokens here', rejected('oauth_token'));
  }
  if (params.token !== undefined && token == null) throw refuse('lookup', 401, 'token_rejected', 'the token is unknown or expired', rejected('oauth_token'));
  if (token?.revoked === true) throw refuse('lookup', 401, 'token_revoked', 'the token has been revoked', rejected('oauth_token'));
  if (!usable) throw refuse('lookup', 401, 'signature_method_rejected', `this client may not use ${params.signatureMethod}`, rejected('oauth_signature_method'));
  if (!valid) {
    throw refuse('signature', 401, 'signature_invalid', 'the signature does not match; compare your base string with the server log', rejected('oauth_signature'));
  }
  if (token != null && typeof token.clientKey === 'string' && token.clientKey !== params.consumerKey) {
    throw refuse('lookup', 401, 'token_rejected', 'the token was issued to another client', rejected('oauth_token'));
  }
  return { client, token: token ?? undefined };
}
