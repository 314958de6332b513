/**
 * Phase 2 of a verification: the protocol parameters (`oauth_*`), checked
 * for syntax — each sent once, all in one location, the required ones
 * present, `oauth_version` and `oauth_timestamp` well-formed, the signature
 * method allowed — and returned as one typed object.
 * @module
 * @internal
 */
import { printableName } from '../../core/errors.js';
import { parseTimestamp } from '../../core/timestamp.js';
import { bodyHashAsync } from '../../methods/body-hash.js';
import { findSignatureMethod } from '../../methods/registry.js';
import type { RequestTarget } from '../../core/target.js';
import type { SignatureMethodDefinition } from '../../methods/types.js';
import type { VerifierConfig } from './config.js';
import { refuse, refuseSyntax } from './failure.js';
import type { ReceivedRequest } from './read-request.js';

/** The protocol parameters of a request that passed the syntax checks. */
export interface ProtocolParams {
  consumerKey: string;
  /** `oauth_token`; undefined when absent or empty (RFC 5849 §2.1: client credentials only). */
  token: string | undefined;
  signatureMethod: string;
  definition: SignatureMethodDefinition;
  signature: string;
  timestampText: string | undefined;
  timestamp: number | undefined;
  nonce: string | undefined;
  /** `oauth_body_hash` as sent, and what the body received hashes to (computed before any callback runs). */
  /** `expected` is started when the request is read (the bytes are taken then), and awaited in its phase. */
  bodyHash: { sent: string; expected: Promise<string> } | undefined;
  /** Every protocol parameter as sent, `oauth_signature` included. */
  list: Array<[string, string]>;
  /** The same, by name. */
  byName: ReadonlyMap<string, string>;
}

const LOCATIONS = ['Authorization header', 'query', 'form body'] as const;

/** RFC 5849 §3.5: each protocol parameter at most once, and all of them in one and only one location. */
function collect(received: ReceivedRequest): Array<[string, string]> {
  const { sources } = received;
  const lists = [sources.header?.params ?? [], sources.query, sources.body.form ?? []];
  const seen = new Set<string>();
  const out: Array<[string, string]> = [];
  let location: string | undefined;
  lists.forEach((list, i) => {
    const where = LOCATIONS[i] as string;
    for (const [name, value] of list) {
      if (!name.startsWith('oauth_')) continue;
      if (seen.has(name)) throw refuseSyntax(`the protocol parameter "${printableName(name)}" is sent more than once`, name);
      if (location !== undefined && location !== where) {
        throw refuseSyntax(`protocol parameters must all be sent in one place, not in both the ${location} and the ${where}`, name);
      }
      location = where;
      seen.add(name);
      out.push([name, value]);
    }
  });
  return out;
}

function requireParameters(byName: ReadonlyMap<string, string>, plaintext: boolean, tokenRequired: boolean): void {
  if (byName.size === 0) {
    throw refuse('syntax', 401, 'parameter_absent', 'the request carries no OAuth credentials', {
      parametersAbsent: ['oauth_consumer_key', 'oauth_signature_method', 'oauth_signature'],
    });
  }
  const required = ['oauth_consumer_key', 'oauth_signature_method', 'oauth_signature'];
  if (!plaintext) required.push('oauth_timestamp', 'oauth_nonce');
  if (tokenRequired) required.push('oauth_token');
  // An empty oauth_token is no token (RFC 5849 §2.1).
  const absent = required.filter((n) => (n === 'oauth_token' ? !byName.get(n) : !byName.has(n)));
  if (absent.length) throw refuse('syntax', 400, 'parameter_absent', `missing ${absent.join(', ')}`, { parametersAbsent: absent });
}

function checkMethod(name: string | undefined, config: VerifierConfig<any, any>, url: RequestTarget): SignatureMethodDefinition {
  const definition = name === undefined ? undefined : findSignatureMethod(name, config.customMethods);
  if (name === undefined || definition === undefined || !config.allowed.has(name)) {
    throw refuse('syntax', 400, 'signature_method_rejected', `the signature method is not accepted here (accepted: ${[...config.allowed].join(', ')})`, {
      parametersRejected: ['oauth_signature_method'],
    });
  }
  if (definition.revealsSecret === true && url.protocol !== 'https:' && !config.allowPlaintextOverHttp) {
    throw refuse('syntax', 400, 'signature_method_rejected', `${name} is accepted over https only`, { parametersRejected: ['oauth_signature_method'] });
  }
  return definition;
}

function checkBodyHash(sent: string | undefined, received: ReceivedRequest, definition: SignatureMethodDefinition, required: boolean): ProtocolParams['bodyHash'] {
  const isForm = received.sources.body.form !== null;
  if (sent !== undefined && isForm) throw refuseSyntax('oauth_body_hash must not be sent with a form body', 'oauth_body_hash');
  if (required && !isForm && sent === undefined) {
    throw refuse('syntax', 400, 'parameter_absent', 'oauth_body_hash is required for this request', { parametersAbsent: ['oauth_body_hash'] });
  }
  if (sent === undefined) return undefined;
  // Hashed now, before any callback runs: what is checked is what arrived
  // (the digest takes its copy of the bytes when it is started).
  const expected = bodyHashAsync(received.sources.body.raw ?? '', definition.bodyHash);
  // A request refused by an earlier phase never awaits it: that is no unhandled rejection.
  expected.catch(() => undefined);
  return { sent, expected };
}

/** Reads and checks the protocol parameters. */
export function readProtocolParams(received: ReceivedRequest, config: VerifierConfig<any, any>): ProtocolParams {
  const list = collect(received);
  const byName = new Map(list);
  const signatureMethod = byName.get('oauth_signature_method');
  const plaintext = signatureMethod !== undefined && findSignatureMethod(signatureMethod, config.customMethods)?.revealsSecret === true;
  requireParameters(byName, plaintext, config.tokenRequired);
  const version = byName.get('oauth_version');
  if (version !== undefined && version !== '1.0') {
    throw refuse('syntax', 400, 'version_rejected', 'oauth_version must be "1.0"', { parametersRejected: ['oauth_version'], acceptableVersions: '1.0-1.0' });
  }
  const timestampText = byName.get('oauth_timestamp');
  const timestamp = timestampText === undefined ? undefined : parseTimestamp(timestampText);
  if (timestampText !== undefined && timestamp === undefined) {
    throw refuseSyntax('oauth_timestamp must be a positive integer number of seconds', 'oauth_timestamp');
  }
  const nonce = byName.get('oauth_nonce');
  // RFC 5849 §4.10: a nonce is kept for the whole window; an unbounded one would let one request hold any amount of memory.
  if (nonce !== undefined && nonce.length > config.limits.nonceLength) {
    throw refuseSyntax(`oauth_nonce is longer than ${config.limits.nonceLength} characters`, 'oauth_nonce');
  }
  const definition = checkMethod(signatureMethod, config, received.url);
  return {
    consumerKey: byName.get('oauth_consumer_key') ?? '',
    token: byName.get('oauth_token') || undefined,
    signatureMethod: signatureMethod ?? '',
    definition,
    signature: byName.get('oauth_signature') ?? '',
    timestampText,
    timestamp,
    nonce,
    bodyHash: checkBodyHash(byName.get('oauth_body_hash'), received, definition, config.requireBodyHash),
    list,
    byName,
  };
}
