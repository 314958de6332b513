/**
 * Phase 4 of a verification: the client and the token, looked up through
 * the server's callbacks — both, whatever exists, so that neither the answer
 * nor the number of lookups tells which keys do.
 * @module
 * @internal
 */
import { isPromiseLike, type Awaitable } from '../../core/awaitable.js';
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

/**
 * Looks up the client, then the token (whether or not the client was found).
 * Synchronous when the callbacks answer synchronously; a promise when one of
 * them returns one (awaiting a plain value would still cost a turn of the
 * event loop).
 */
export function lookUp<C extends ClientRecord, T extends TokenRecord>(
  params: ProtocolParams,
  ctx: LookupContext,
  config: VerifierConfig<C, T>,
): Awaitable<Found<C, T>> {
  const client = config.lookupClient(params.consumerKey, ctx);
  if (isPromiseLike(client)) return Promise.resolve(client).then((c) => lookUpToken(c, params, ctx, config));
  return lookUpToken(client, params, ctx, config);
}

function lookUpToken<C extends ClientRecord, T extends TokenRecord>(
  client: C | null | undefined,
  params: ProtocolParams,
  ctx: LookupContext,
  config: VerifierConfig<C, T>,
): Awaitable<Found<C, T>> {
  const { lookupToken } = config;
  if (params.token === undefined || lookupToken === undefined) return { client, token: undefined };
  const clientFound = typeof client === 'object' && client !== null;
  const token = lookupToken(params.token, clientFound ? client : (NO_CLIENT as C), { ...ctx, clientFound });
  if (isPromiseLike(token)) return Promise.resolve(token).then((t) => ({ client, token: t }));
  return { client, token };
}
