/**
 * What the provider's endpoints share: running an endpoint's verifier on a
 * request, refusing plain http where secrets are answered, and the answer.
 * @module
 * @internal
 */
import { formatForm } from '../../core/encoding.js';
import { invalidArgValue } from '../../core/errors.js';
import { isLoopbackAddress } from '../ip.js';
import type { TokenRecord, VerifiedRequest, VerifyExtra } from '../verifier/types.js';
import type { Endpoint, ProviderSettings } from './settings.js';
import type { CredentialsResponse, ProviderClientRecord, ProviderRequest } from './types.js';

const FORM_HEADERS = { 'Content-Type': 'application/x-www-form-urlencoded', 'Cache-Control': 'no-store' } as const;

/** Verifies a request for an endpoint: the request itself, or a function that verifies it with the verifier it is handed. */
export async function runEndpoint<C extends ProviderClientRecord, T extends TokenRecord>(
  ep: Endpoint<C, T>,
  req: ProviderRequest<C>,
  extra: VerifyExtra | undefined,
): Promise<VerifiedRequest<C, T>> {
  if (typeof req !== 'function') return ep.verifier.verify(req, extra);
  const result: unknown = await req(ep.verifier as never);
  if (typeof result !== 'object' || result === null || !ep.issued.has(result as VerifiedRequest<C, T>)) {
    throw invalidArgValue('request', 'must return what the verifier handed to it returned');
  }
  return result as VerifiedRequest<C, T>;
}

const LOOPBACK_NAMES = new Set(['localhost', '[::1]']);

/**
 * Whether the request stayed on this machine: the peer's address (the
 * transport's fact, as the adapter reported it) is a loopback address, and
 * so is the host it addressed. A Host header alone never makes it so.
 */
function isLocal(verified: VerifiedRequest<any, any>, url: URL): boolean {
  const peer = verified.remoteAddress;
  const host = url.hostname;
  return peer !== undefined && isLoopbackAddress(peer) && (LOOPBACK_NAMES.has(host) || isLoopbackAddress(host));
}

/** RFC 5849 §2.1, §2.3: secrets are answered over https only (unless allowed, or from this machine to itself). */
export function requireTransport(settings: ProviderSettings<any>, verified: VerifiedRequest<any, any>): void {
  if (settings.allowHttp) return;
  const url = new URL(verified.url);
  if (url.protocol !== 'https:' && !isLocal(verified, url)) {
    throw settings.fail(400, 'parameter_rejected', 'credentials are issued over https only (RFC 5849 §2.1, §2.3)', {
      advice: 'use https; behind a TLS-terminating proxy set publicUrl or trustProxy',
    });
  }
}

/** The `application/x-www-form-urlencoded` answer of an endpoint. */
export function answer<R>(pairs: Array<[string, string]>, record: R): CredentialsResponse<R> {
  return { status: 200, headers: { ...FORM_HEADERS }, body: formatForm(pairs), record };
}

/** A protocol parameter of a verified request. */
export function param(verified: VerifiedRequest<any, any>, name: string): string | undefined {
  for (const [n, v] of verified.oauthParams) if (n === name) return v;
  return undefined;
}
