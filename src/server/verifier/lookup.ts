/**
 * Phase 4 of a verification: the client and the token, looked up through
 * the server's callbacks — both, whatever exists, so that neither the answer
 * nor the number of lookups tells which keys do.
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

/** What `lookupToken` receives in place of a client that was not found. */
const NO_CLIENT: ClientRecord = Object.freeze({});

/** The context the callbacks receive: a snapshot of the request. */
export function lookupContext(received: ReceivedRequest, params: ProtocolParams, extra: VerifyExtra): LookupContext {
  return {
    request: { method: received.method, url: received.url.href, headers: received.headers },
    signatureMethod: params.signatureMethod,
    realm: received.sources.header?.realm,
    extra,
  };
}

/** Looks up the client, then the token (whether or not the client was found). */
export async function lookUp<C extends ClientRecord, T extends TokenRecord>(
  params: ProtocolParams,
  ctx: LookupContext,
  config: VerifierConfig<C, T>,
): Promise<Found<C, T>> {
  const client = await config.lookupClient(params.consumerKey, ctx);
  const { lookupToken } = config;
  if (params.token === undefined || lookupToken === undefined) return { client, token: undefined };
  const clientFound = typeof client === 'object' && client !== null;
  const token = await lookupToken(params.token, clientFound ? client : (NO_CLIENT as C), { ...ctx, clientFound });
  return { client, token };
}
