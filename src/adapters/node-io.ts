/**
 * What the adapters for Node servers (node:http, Express, Fastify, Koa)
 * share beyond the contract: reading an `IncomingMessage` body into a
 * Buffer, and where frameworks keep bodies. Kept apart from `contract.ts` so
 * that the Fetch adapter, which the web build ships, never reaches `Buffer`.
 * @module
 * @internal
 */
import { parseForm } from '../core/encoding.js';
import { invalidArgValue } from '../core/errors.js';
import { getHeader, isFormContentType, type BodyLike, type HeadersLike } from '../core/request.js';
import { bodyConsumedError, declaredLength, fieldsObject, needsBody, tooLarge, type AdapterVerifier, type NodeRequestLike } from './contract.js';

/**
 * Reads a Node request body into one Buffer, refusing (400) a body longer
 * than `limit`: at once when Content-Length says so, else as soon as the
 * count passes it. The rest of the body is then drained unbuffered, so the
 * connection stays usable for the answer.
 */
export function readNodeBody(req: NodeRequestLike, limit: number, realm: string | undefined): Promise<Buffer> {
  const declared = declaredLength(req.headers);
  if (declared !== undefined && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit, realm));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (): void => {
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onError);
      req.removeListener('close', onClose);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      size += bytes.byteLength;
      if (size > limit) {
        settle();
        req.resume();
        reject(tooLarge(limit, realm));
      } else chunks.push(bytes);
    };
    const onEnd = (): void => {
      settle();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      settle();
      reject(err);
    };
    const onClose = (): void => {
      settle();
      reject(new Error('the request was closed before its body was read'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function isRaw(value: unknown): value is string | Uint8Array {
  return typeof value === 'string' || value instanceof Uint8Array;
}

/** Where a Node framework may hold the body. */
export interface BodySources {
  /** A raw copy kept by a parser (`req.rawBody`). */
  raw?: unknown;
  /** The framework's parsed body (`req.body`). */
  parsed?: unknown;
  /** How to mount things so that the body is usable, for the error message. */
  hint: string;
}

/**
 * The body to hand to the verifier: a raw copy when one was kept, else
 * flat form fields a parser produced, else (only when the verifier needs it)
 * the stream itself, read here. `read` is set when this function read it.
 */
export async function resolveNodeBody(
  verifier: AdapterVerifier<unknown>,
  req: NodeRequestLike,
  url: string,
  limit: number,
  sources: BodySources,
): Promise<{ body: BodyLike; read?: Buffer }> {
  if (isRaw(sources.raw)) return { body: sources.raw };
  if (isRaw(sources.parsed)) return { body: sources.parsed };
  const consumed = req.readableEnded === true;
  const parsed = sources.parsed;
  if (consumed && typeof parsed === 'object' && parsed !== null && isFormContentType(getHeader(req.headers, 'content-type'))) {
    for (const [name, value] of Object.entries(parsed)) {
      if (typeof value !== 'string' && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
        throw invalidArgValue(
          `body.${name}`,
          `is a nested value: the form was parsed by an extended parser (qs), but the signature covers the flat form; ${sources.hint}`,
        );
      }
    }
    return { body: parsed as Record<string, string | string[]> };
  }
  if (!needsBody(verifier, req.headers, url)) return { body: undefined };
  if (consumed) throw bodyConsumedError(sources.hint);
  const read = await readNodeBody(req, limit, verifier.realm);
  return { body: read, read };
}

/**
 * After an adapter read the body itself (no parser ran before it), keeps it
 * for the handlers: the raw bytes as `rawBody` and, for a form, the flat
 * fields as `body` (a verified form decodes cleanly), so a later body parser
 * skips the request.
 */
export function keepReadBody(target: { rawBody?: unknown; body?: unknown }, read: Buffer, headers: HeadersLike | undefined): void {
  target.rawBody = read;
  if (isFormContentType(getHeader(headers, 'content-type'))) target.body = fieldsObject(parseForm(read.toString('utf8')));
}
