// Phase-one probe: the WebCrypto back end and the pure layers, bundled from
// src/, in each runtime. Every expected value comes from the caller (a vector
// or node:crypto), never from this file.
import { signatureBaseString } from '../../src/core/base-string.js';
import {
  constantTimeEqual,
  digestBase64Async,
  hmacBase64Async,
  randomHex,
  rsaSignBase64Async,
  rsaVerifyBase64Async,
} from '../../src/methods/crypto/web.js';
import { percentEncode } from '../../src/core/encoding.js';
import { collectParameters } from '../../src/core/parameters.js';

interface Input {
  x: { method: string; url: string; form: string; oauth: Array<[string, string]>; consumerSecret: string; tokenSecret: string };
  privateKeyPkcs1: string;
  certificate: string;
  base: string;
}

export default async function probe(input: Input): Promise<Record<string, unknown>> {
  const { x } = input;
  const params = collectParameters({
    method: x.method,
    url: x.url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: x.form,
  }).concat(x.oauth);
  const baseString = signatureBaseString({ method: x.method, url: x.url, params });
  const key = `${percentEncode(x.consumerSecret)}&${percentEncode(x.tokenSecret)}`;
  const rsa = await rsaSignBase64Async('sha256', input.privateKeyPkcs1, input.base);
  return {
    globals: { Buffer: typeof (globalThis as Record<string, unknown>).Buffer, process: typeof (globalThis as Record<string, unknown>).process, subtle: typeof globalThis.crypto?.subtle },
    xBaseString: baseString,
    xSignature: await hmacBase64Async('sha1', key, baseString),
    hmacSha256: await hmacBase64Async('sha256', key, input.base),
    rsaSha256: rsa,
    rsaVerifies: await rsaVerifyBase64Async('sha256', input.certificate, input.base, rsa),
    rsaRefusesTampered: !(await rsaVerifyBase64Async('sha256', input.certificate, `${input.base}x`, rsa)),
    bodyHashSha256: await digestBase64Async('sha256', '{"a":1}'),
    nonce: randomHex(16),
    compare: [constantTimeEqual('abc', 'abc'), constantTimeEqual('abc', 'abd')],
  };
}
