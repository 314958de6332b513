// Errors that say why: a provider's refusal becomes a ProviderRefusal (an
// OAuthError) carrying what the provider said, the comparison with our base
// string when it returned its own, and never a secret.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANSWER_START_LIMIT,
  createSignedFetch,
  createVerifier,
  findBaseString,
  isBaseString,
  OAuthError,
  ProviderRefusal,
  readProviderAnswer,
  requestTemporaryCredentials,
  requestTokenCredentials,
} from '../src/index.js';

const client = { key: 'refusal-client', secret: 'S3cret-Client-Value' };
const token = { key: 'refusal-token', secret: 'T0ken-Secret-Value' };

let server: Server;
let base = '';
type Canned = (req: { method: string; url: string; headers: IncomingHttpHeaders; body: string }) => Promise<{ status: number; headers?: Record<string, string>; body: string }>;
let answer: Canned;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const a = await answer({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(a.status, a.headers ?? {}).end(a.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const refusalOf = (p: Promise<unknown>) => p.then(() => expect.unreachable('the request should be refused'), (e: unknown) => e as ProviderRefusal);

describe('the problem report of a refusal', () => {
  it('a 400 to requestTemporaryCredentials says which parameter was refused (today: only the status)', async () => {
    answer = async () => ({ status: 400, headers: form, body: 'oauth_problem=parameter_rejected&oauth_parameters_rejected=oauth_callback&oauth_problem_advice=callback%20not%20registered' });
    const err = await refusalOf(requestTemporaryCredentials({ url: `${base}/initiate`, client, callback: 'https://evil.example/cb' }));
    expect(err).toBeInstanceOf(ProviderRefusal);
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ status: 400, problem: 'parameter_rejected', step: 'temporary credentials request', details: { parametersRejected: ['oauth_callback'], advice: 'callback not registered' } });
    expect(err.message).toBe('the provider refused the temporary credentials request with 400 (parameter_rejected; rejected: oauth_callback) — the provider advises: callback not registered');
  });

  it('parameters absent and acceptable timestamps, from the body or from WWW-Authenticate', async () => {
    answer = async () => ({ status: 400, headers: form, body: 'oauth_problem=parameter_absent&oauth_parameters_absent=oauth_verifier%26oauth_token' });
    const absent = await refusalOf(requestTokenCredentials({ url: `${base}/token`, client, temporary: token, verifier: 'v' }));
    expect(absent.details.parametersAbsent).toEqual(['oauth_verifier', 'oauth_token']);
    expect(absent.message).toContain('(parameter_absent; absent: oauth_verifier, oauth_token)');
    answer = async () => ({ status: 401, headers: { 'www-authenticate': 'OAuth realm="api", oauth_problem="timestamp_refused", oauth_acceptable_timestamps="1700000000-1700000600"' }, body: '' });
    const late = await refusalOf(requestTemporaryCredentials({ url: `${base}/initiate`, client }));
    expect(late).toMatchObject({ status: 401, problem: 'timestamp_refused', details: { acceptableTimestamps: '1700000000-1700000600' } });
    expect(late.message).toContain('acceptable timestamps: 1700000000-1700000600');
  });

  it('a JSON or HTML error page: its start, bounded, in the error and in one line of the message', async () => {
    answer = async () => ({ status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'woocommerce_rest_authentication_error', message: 'Invalid signature - provided signature does not match.', data: { status: 401 } }) });
    const json = await refusalOf(requestTemporaryCredentials({ url: `${base}/initiate`, client }));
    expect(json.problem).toBe('signature_invalid');
    expect(json.answer.bodyStart).toContain('Invalid signature - provided signature does not match.');
    expect(json.message).toMatch(/; the answer begins: \{"code":"woocommerce_rest_authentication_error"/);
    const page = `<!doctype html>\n<html><body>\n<h1>Forbidden</h1>\n${'<p>lorem ipsum</p>\n'.repeat(200)}</body></html>`;
    answer = async () => ({ status: 401, headers: { 'content-type': 'text/html' }, body: page });
    const html = await refusalOf(requestTemporaryCredentials({ url: `${base}/initiate`, client }));
    expect(html.answer.bodyStart?.length).toBe(ANSWER_START_LIMIT + 1);
    expect(html.message).not.toContain('\n');
    expect(html.message.length).toBeLessThan(400);
  });
});

describe('the base string a provider returns', () => {
  // A provider on loopback behind a TLS-terminating proxy that forgets to say so: it
  // verifies with http:// while the client signed the https:// URL it addressed.
  const verifier = createVerifier({ lookupClient: (k) => (k === client.key ? { secret: client.secret } : undefined), tokenRequired: false, onDebug: (d) => void (last = d.baseString) });
  let last: string | undefined;
  const verifyAndAnswer = (field: 'oauth_signature_base_string' | 'debug_sbs', encode: boolean): Canned => async (req) => {
    try {
      await verifier.verify({ method: req.method, url: `http://api.example.com${req.url}`, headers: req.headers, body: req.body });
      return { status: 200, headers: form, body: 'oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=true' };
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      const sbs = last ?? '';
      return { status: err.status, headers: form, body: `oauth_problem=${err.problem}&${field}=${encode ? encodeURIComponent(sbs) : sbs}` };
    }
  };
  const viaProxy: typeof fetch = (input, init) => fetch(String(input).replace('https://api.example.com', base), init);

  it('Jira-style oauth_signature_base_string: the error holds the comparison and names the first difference', async () => {
    answer = verifyAndAnswer('oauth_signature_base_string', true);
    const err = await refusalOf(requestTemporaryCredentials({ url: 'https://api.example.com/oauth/request_token', client, fetch: viaProxy }));
    expect(err.answer.baseString).toMatch(/^POST&http%3A%2F%2Fapi\.example\.com%2Foauth%2Frequest_token&/);
    expect(err.ourBaseString).toMatch(/^POST&https%3A%2F%2Fapi\.example\.com/);
    expect(err.comparison?.identical).toBe(false);
    expect(err.comparison?.uri).toEqual({ ours: 'https://api.example.com/oauth/request_token', theirs: 'http://api.example.com/oauth/request_token' });
    expect(err.message).toMatch(/^the provider refused the temporary credentials request with 401 \(signature_invalid\); its base string differs from ours at character 9: ours "POST&http.*", theirs "POST&http%3A.*" — Scheme differs \(https: vs http:\)/);
    expect(err.message).not.toContain('\n');
  });

  it('an unencoded debug_sbs=POST&https%3A… is found, and the signed fetch throws the same way', async () => {
    answer = verifyAndAnswer('debug_sbs', false);
    const api = createSignedFetch({ client, fetch: viaProxy });
    const err = await refusalOf(api('https://api.example.com/items?page=2', { method: 'POST', body: new URLSearchParams({ a: 'b c' }) }));
    expect(err.step).toBe('POST https://api.example.com/items');
    expect(err.answer.baseString).toMatch(/^POST&http%3A%2F%2Fapi\.example\.com%2Fitems&a%3Db%2520c%26oauth_consumer_key/);
    expect(err.comparison?.hints[0]).toMatch(/Scheme differs/);
    expect(err.message).toContain('its base string differs from ours at character 9');
  });

  it('identical base strings point at the keys', async () => {
    // The provider sees the URL we signed but holds another client secret.
    const wrongKey = createVerifier({ lookupClient: () => ({ secret: 'another secret' }), tokenRequired: false, onDebug: (d) => void (last = d.baseString) });
    answer = async (req) => {
      const err = await wrongKey.verify({ method: req.method, url: `${base}${req.url}`, headers: req.headers, body: req.body }).then(() => undefined, (e: OAuthError) => e);
      return { status: 401, headers: form, body: `oauth_problem=${err?.problem ?? 'none'}&debug_sbs=${encodeURIComponent(last ?? '')}` };
    };
    const err = await refusalOf(requestTemporaryCredentials({ url: `${base}/initiate`, client }));
    expect(err.comparison?.identical).toBe(true);
    expect(err.message).toMatch(/\(signature_invalid\); its base string equals ours, so the keys differ/);
  });
});

describe('secrets never appear in a refusal', () => {
  it('a provider that echoes the PLAINTEXT signature and the secrets in its error page', async () => {
    answer = async (req) => ({
      status: 401,
      headers: { 'content-type': 'text/html' },
      body: `<html><pre>Authorization: ${req.headers.authorization}\nsecret=${client.secret} token=${token.secret} enc=${encodeURIComponent(client.secret)}</pre></html>`,
    });
    // PLAINTEXT (https only): the signature is the secrets themselves.
    const viaTls: typeof fetch = (input, init) => fetch(String(input).replace('https://secure.example', base), init);
    const api = createSignedFetch({ client, token, signatureMethod: 'PLAINTEXT', fetch: viaTls });
    const err = await refusalOf(api('https://secure.example/r'));
    const everything = `${err.message} ${JSON.stringify(err)} ${JSON.stringify(err.answer)}`;
    for (const s of [client.secret, token.secret]) {
      expect(everything).not.toContain(s);
      expect(everything).not.toContain(encodeURIComponent(s));
    }
    expect(err.answer.bodyStart).toContain('[redacted]');
  });
});

describe('reading an answer without a request (readProviderAnswer, findBaseString, isBaseString)', () => {
  const sbs = 'GET&https%3A%2F%2Fapi.example.com%2Fa&b%3D1%26oauth_consumer_key%3Dk';

  it('knows a base string by its shape', () => {
    expect(isBaseString(sbs)).toBe(true);
    for (const garbage of ['', 'hello world', 'GET https://api.example.com/a', 'get&https%3A%2F%2Fx&', `${sbs}&extra`, 'GET&ftp%3A%2F%2Fx&a']) expect(isBaseString(garbage)).toBe(false);
  });

  it('finds it encoded in a form, unencoded after debug_sbs=, in JSON and in prose', () => {
    expect(findBaseString(`oauth_problem=signature_invalid&debug_sbs=${encodeURIComponent(sbs)}`)).toBe(sbs);
    expect(findBaseString(`oauth_problem=signature_invalid&debug_sbs=${sbs}`)).toBe(sbs);
    expect(findBaseString(JSON.stringify({ error: 'bad', oauth_signature_base_string: sbs }))).toBe(sbs);
    expect(findBaseString(`The signature base string we computed was ${sbs} please check`)).toBe(sbs);
    expect(findBaseString('oauth_problem=signature_invalid')).toBeUndefined();
  });

  it('reads the problem report from WWW-Authenticate when the body has none', () => {
    const a = readProviderAnswer({ status: 401, body: 'Unauthorized', wwwAuthenticate: 'OAuth realm="x", oauth_problem="nonce_used"' });
    expect(a).toEqual({ status: 401, problem: 'nonce_used', bodyStart: 'Unauthorized' });
  });
});
