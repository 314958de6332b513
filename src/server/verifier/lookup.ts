/**
 * Phase 4 of a verification: the client and the token, looked up through
 * the server's callbacks.
 * @module
 * @internal
 */
import type { VerifierConfig } from './config.js';
import type { ProtocolParams } from './protocol-params.js';
import type { ReceivedRequest } from './read-request.js';
import type { ClientRecord, LookupContext, TokenRecord, VerifyExtra } from './types.js';

/** What the lookups found (null or undefined: nothing). */
export interface Found<C extends ClientRecord, T extends TokenRecord> {
  client: C | null | undefined;
  token: T | null | undefined;
}

/** The context the callbacks receive: a snapshot of the request. */
export function lookupContext(received: ReceivedRequest, params: ProtocolParams, extra: VerifyExtra): LookupContext {
  return {
    request: { method: received.method, url: received.url.href, headers: received.headers },
    signatureMethod: params.signatureMethod,
    realm: received.sources.header?.realm,
    extra,
  };
}

/** Looks up the client, then (for a known client) the token. */
export async function lookUp<C extends ClientRecord, T extends TokenRecord>(
  params: ProtocolParams,
  ctx: LookupContext,
  config: VerifierConfig<C, T>,
): Promise<Found<C, T>> {
  const client = await config.lookupClient(params.consumerKey, ctx);
  const { lookupToken } = config;
  const token = params.token === undefined || lookupToken === undefined || client == null ? undefined : await lookupToken(params.token, client, ctx);
  return { client, token };
}
