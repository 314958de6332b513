// The runtime probe: what a user's code does with `import 'oauth1'` in a
// Worker, an edge function, Deno, Bun, a browser or Node. The runtime (or
// its bundler) picks the build by its export conditions. Every expected
// value is the caller's (a vector, or node:crypto), never this file's: the
// probe only reports what it computed.
import { createSignatureAsync, createVerifier, sign, signAsync, verifySignatureAsync } from 'oauth1';
import { verifyFetchRequest } from 'oauth1/fetch';

/** Which build was loaded: the web build's sync sign() refuses HMAC. */
function whichBuild() {
  try {
    sign({ method: 'GET', url: 'https://a.example/' }, { client: { key: 'k', secret: 's' } });
    return 'node';
  } catch (err) {
    return err && err.code === 'ERR_SYNC_CRYPTO_UNAVAILABLE' ? 'web' : `error: ${err}`;
  }
}

async function outcome(promise) {
  try {
    const verified = await promise;
    return { ok: true, consumerKey: verified.consumerKey };
  } catch (err) {
    return { ok: false, status: err.status, problem: err.problem };
  }
}

/** A verifier that knows one client and token, with its clock at the request's time. */
function verifierFor(x) {
  return createVerifier({
    lookupClient: (key) => (key === x.client.key ? { secret: x.client.secret } : undefined),
    lookupToken: (key) => (key === x.token.key ? { secret: x.token.secret } : undefined),
    clock: () => Number(x.timestamp) * 1000,
  });
}

async function verification(x) {
  const verifier = verifierFor(x);
  const signed = await signAsync(x.request, x);
  const request = () => new Request(signed.url, { method: signed.method, headers: signed.headers, body: signed.body });
  const accepted = await outcome(verifyFetchRequest(verifier, request()));
  const replayed = await outcome(verifyFetchRequest(verifier, request()));
  const other = await signAsync(x.request, { ...x, nonce: `${x.nonce}-2` });
  const tampered = new Request(signed.url, { method: signed.method, headers: other.headers, body: 'status=Tampered' });
  return { accepted, replayed, tampered: await outcome(verifyFetchRequest(verifier, tampered)) };
}

async function vectors(list) {
  const out = {};
  for (const v of list) {
    try {
      const s = await signAsync(...v.args);
      out[v.id] = { base_string: s.baseString, signature: s.signature, authorization: s.headers.Authorization ?? null };
    } catch (err) {
      out[v.id] = { base_string: null, signature: null, authorization: null, error: String(err && err.message) };
    }
  }
  return out;
}

export default async function probe(input) {
  const x = input.x;
  const xSigned = await signAsync(x.request, x);
  const hmac = await signAsync(input.hmac.request, input.hmac);
  const rsa = await createSignatureAsync('RSA-SHA256', input.rsa.baseString, { privateKey: input.rsa.privateKey });
  return {
    build: whichBuild(),
    globals: { Buffer: typeof globalThis.Buffer, process: typeof globalThis.process },
    x: { baseString: xSigned.baseString, signature: xSigned.signature, authorization: xSigned.headers.Authorization },
    hmacSha256: { signature: hmac.signature, authorization: hmac.headers.Authorization },
    rsaSha256: {
      signature: rsa,
      verifies: await verifySignatureAsync('RSA-SHA256', input.rsa.baseString, rsa, { publicKey: input.rsa.certificate }),
      refusesTampered: !(await verifySignatureAsync('RSA-SHA256', `${input.rsa.baseString}x`, rsa, { publicKey: input.rsa.certificate })),
    },
    verifier: await verification(x),
    vectors: await vectors(input.vectors),
  };
}
