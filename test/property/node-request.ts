/**
 * A request as node:http hands it to a handler (an IncomingMessage, as far
 * as the node adapter reads one), built from a URL and headers: the request
 * target in origin form (`/path?query` with a Host header) or in absolute
 * form (`http://host/path?query`, RFC 9112 §3.2.2), exactly as written.
 */
import { Readable } from 'node:stream';
import type { NodeRequestLike } from '../../src/adapters/contract.js';

const PARTS = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^#]*)/;

export function nodeRequest(
  req: { method: string; url: string; headers: Record<string, string>; body?: string | Uint8Array },
  form: 'origin' | 'absolute',
): NodeRequestLike | undefined {
  const m = PARTS.exec(req.url);
  if (m === null) return undefined;
  const [, scheme = 'http', authority = '', target = ''] = m;
  const headers: Record<string, string> = { host: authority };
  for (const [n, v] of Object.entries(req.headers)) headers[n.toLowerCase()] = v;
  const body = req.body === undefined ? [] : [typeof req.body === 'string' ? Buffer.from(req.body) : Buffer.from(req.body)];
  return Object.assign(Readable.from(body), {
    method: req.method,
    url: form === 'origin' ? target || '/' : `${scheme}://${authority}${target || '/'}`,
    headers,
    socket: { encrypted: scheme.toLowerCase() === 'https', remoteAddress: '127.0.0.1' },
  });
}
