/**
 * An independent client completes the three-legged flow against our provider
 * helpers: python3-oauthlib's `oauth1.Client` signs every request and
 * `urllib` sends it to a node:http server on 127.0.0.1 that answers with
 * `createProvider` (through the node adapter). The Python side runs the
 * whole flow and prints what it saw as JSON; the assertions are here.
 *
 * Needs /usr/bin/python3 with python3-oauthlib (and python3-cryptography,
 * python3-jwt for RSA-SHA1). Without them the suite is skipped with the
 * reason printed, except in CI (`CI` set), where it fails.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryProviderStore, createProvider, parseForm, type CredentialsResponse, type ProviderClientRecord } from '../src/index.js';
import { sendOAuthError, verifyNodeRequest } from '../src/adapters/node.js';
import { PYTHON, assertOauthlib, oauthlibGate } from './helpers/python.js';

const gate = oauthlibGate();
if (gate.skip) console.warn(`[interop-oauthlib-flow] ${gate.reason}`);
const suite = describe.skipIf(gate.skip);
const suffix = gate.skip ? ` (${gate.reason})` : '';

const rsa = gate.skip
  ? { privatePem: '', publicPem: '' }
  : (() => {
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return {
        privatePem: pair.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
        publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
      };
    })();

// Secrets with characters that §3.6 encoding must escape inside the HMAC key.
const HMAC_CLIENT = { key: 'py-client', secret: 'pÿ sécret&+/=' };
const clients: Record<string, ProviderClientRecord> = {
  'py-client': { secret: HMAC_CLIENT.secret, callbacks: ['http://client.example/cb', 'oob'] },
  'py-rsa': { publicKey: rsa.publicPem, callbacks: ['http://client.example/cb', 'oob'] },
};

/**
 * The client: the three steps of RFC 5849 §2 with oauthlib, then protected
 * resource requests, a replay, a second exchange and a revocation. The
 * "resource owner" approving is a plain form POST to the consent endpoint.
 */
const FLOW_SCRIPT = String.raw`
import json, sys, urllib.error, urllib.parse, urllib.request
from oauthlib.oauth1 import Client

base = sys.argv[1]
cfg = json.loads(sys.stdin.read())

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None

opener = urllib.request.build_opener(NoRedirect)

def call(method, uri, headers=None, body=None):
    if body is not None and not isinstance(body, str):
        body = urllib.parse.urlencode(body)  # oauthlib hands back pairs when the parameters are not in the body
    data = body.encode('utf-8') if body is not None else None
    req = urllib.request.Request(uri, data=data, method=method, headers=headers or {})
    try:
        with opener.open(req, timeout=10) as r:
            return {'status': r.status, 'headers': {k.lower(): v for k, v in r.headers.items()}, 'body': r.read().decode()}
    except urllib.error.HTTPError as e:
        return {'status': e.code, 'headers': {k.lower(): v for k, v in e.headers.items()}, 'body': e.read().decode()}

def client(**kw):
    kw.setdefault('signature_method', cfg['method'])
    kw.setdefault('signature_type', cfg['type'])
    if cfg['method'].startswith('RSA'):
        kw['rsa_key'] = cfg['rsa_key']
    else:
        kw['client_secret'] = cfg['client_secret']
    return Client(cfg['client_key'], **kw)

def signed(c, method, uri, extra=None):
    # A form body when the parameters travel in it (signature type BODY) or extra fields are sent.
    if c.signature_type == 'BODY' or extra:
        return c.sign(uri, http_method=method, body=dict(extra or {'x_extra': '1'}),
                      headers={'Content-Type': 'application/x-www-form-urlencoded'})
    return c.sign(uri, http_method=method)

out = {}

# 1. Temporary credentials (RFC 5849 §2.1)
uri, headers, body = signed(client(callback_uri=cfg['callback']), 'POST', base + '/oauth/request_token')
r = call('POST', uri, headers, body)
out['temporary'] = r
temp = dict(urllib.parse.parse_qsl(r['body']))

# 2. The resource owner approves on the consent page (RFC 5849 §2.2)
form = urllib.parse.urlencode({'oauth_token': temp['oauth_token'], 'owner': cfg['owner']})
r = call('POST', base + '/oauth/authorize', {'Content-Type': 'application/x-www-form-urlencoded'}, form)
out['authorize'] = r
if cfg['callback'] == 'oob':
    verifier = dict(urllib.parse.parse_qsl(r['body']))['oauth_verifier']
else:
    verifier = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(r['headers']['location']).query))['oauth_verifier']

# 3. Token credentials (RFC 5849 §2.3)
c = client(resource_owner_key=temp['oauth_token'], resource_owner_secret=temp['oauth_token_secret'], verifier=verifier)
uri, headers, body = signed(c, 'POST', base + '/oauth/access_token')
r = call('POST', uri, headers, body)
out['token'] = r
out['token_replayed'] = call('POST', uri, headers, body)
uri2, headers2, body2 = signed(c, 'POST', base + '/oauth/access_token')
out['token_again'] = call('POST', uri2, headers2, body2)
token = dict(urllib.parse.parse_qsl(r['body']))

# Protected resources with the token credentials (a GET has no body: the header instead of BODY)
c = client(resource_owner_key=token['oauth_token'], resource_owner_secret=token['oauth_token_secret'])
g = client(resource_owner_key=token['oauth_token'], resource_owner_secret=token['oauth_token_secret'],
           signature_type='AUTH_HEADER' if cfg['type'] == 'BODY' else cfg['type'])
uri, headers, body = g.sign(base + '/api/me?fields=name%20email&x=%F0%9F%94%91', http_method='GET')
out['resource'] = call('GET', uri, headers, body)
uri, headers, body = signed(c, 'POST', base + '/api/me', extra={'status': 'Hello, Ladies + Gentlemen, a signed OAuth request!'})
out['resource_post'] = call('POST', uri, headers, body)
uri, headers, body = signed(c, 'POST', base + '/oauth/revoke')
out['revoke'] = call('POST', uri, headers, body)
uri, headers, body = g.sign(base + '/api/me', http_method='GET')
out['resource_after_revoke'] = call('GET', uri, headers, body)

print(json.dumps(out))
`;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}
type FlowResult = Record<
  'temporary' | 'authorize' | 'token' | 'token_replayed' | 'token_again' | 'resource' | 'resource_post' | 'revoke' | 'resource_after_revoke',
  Answer
>;

function runFlow(base: string, cfg: Record<string, string>): Promise<FlowResult> {
  assertOauthlib();
  // Asynchronous: the server answering the script runs in this process.
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', FLOW_SCRIPT, base], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill(), 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`the oauthlib flow script exited with ${code}:\n${stderr}`));
      try {
        resolve(JSON.parse(stdout) as FlowResult);
      } catch {
        reject(new Error(`the oauthlib flow script printed something that is not JSON:\n${stdout}\n${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(cfg));
  });
}

function readForm(req: IncomingMessage): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (text += d));
    req.on('end', () => resolve(new Map(parseForm(text))));
    req.on('error', reject);
  });
}

const form = (body: string) => new Map(parseForm(body));

suite(`oauthlib's Client completes the flow against createProvider${suffix}`, () => {
  const store = createMemoryProviderStore();
  const provider = createProvider({ lookupClient: (key) => clients[key], store });
  let server: Server;
  let base = '';

  beforeAll(async () => {
    assertOauthlib();
    server = createServer(async (req, res) => {
      const send = (a: CredentialsResponse<unknown>) => res.writeHead(a.status, a.headers).end(a.body);
      try {
        const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
        if (req.method === 'POST' && path === '/oauth/request_token') {
          send(await provider.requestTemporaryCredentials((verifier) => verifyNodeRequest(verifier, req)));
        } else if (req.method === 'POST' && path === '/oauth/authorize') {
          // Stands in for the consent page's "Allow" button, pressed by a logged-in owner.
          const fields = await readForm(req);
          const key = fields.get('oauth_token') ?? '';
          await provider.pendingAuthorization(key); // what the page would show
          const auth = await provider.authorize(key, { owner: fields.get('owner') ?? '' });
          if (auth.redirectTo !== undefined) res.writeHead(303, { Location: auth.redirectTo }).end();
          else res.writeHead(200, { 'Content-Type': 'application/x-www-form-urlencoded' }).end(`oauth_verifier=${auth.verifier}`);
        } else if (req.method === 'POST' && path === '/oauth/access_token') {
          send(await provider.requestTokenCredentials((verifier) => verifyNodeRequest(verifier, req)));
        } else if (req.method === 'POST' && path === '/oauth/revoke') {
          const ok = await verifyNodeRequest(provider.verifier, req);
          await provider.revokeToken(ok.tokenKey!);
          res.writeHead(204).end();
        } else if (path === '/api/me') {
          const ok = await verifyNodeRequest(provider.verifier, req);
          const params = ok.params.filter(([n]) => !n.startsWith('oauth_'));
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ owner: ok.token?.owner, client: ok.consumerKey, params }));
        } else {
          res.writeHead(404).end();
        }
      } catch (err) {
        if (!sendOAuthError(res, err)) res.writeHead(500).end(String(err));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const cases = [
    { name: 'HMAC-SHA1, Authorization header, callback URL', method: 'HMAC-SHA1', type: 'AUTH_HEADER', client: 'py-client', callback: 'http://client.example/cb?state=a%20b' },
    { name: 'HMAC-SHA256, form body, out of band', method: 'HMAC-SHA256', type: 'BODY', client: 'py-client', callback: 'oob' },
    { name: 'RSA-SHA1, query, callback URL', method: 'RSA-SHA1', type: 'QUERY', client: 'py-rsa', callback: 'http://client.example/cb' },
  ];

  it.each(cases)('$name', async ({ method, type, client, callback }) => {
    const owner = `owner of ${method}`;
    const r = await runFlow(base, {
      method,
      type,
      client_key: client,
      client_secret: HMAC_CLIENT.secret,
      rsa_key: rsa.privatePem,
      callback,
      owner,
    });

    // §2.1
    expect(r.temporary.status).toBe(200);
    expect(r.temporary.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const temp = form(r.temporary.body);
    expect(temp.get('oauth_callback_confirmed')).toBe('true');
    expect(temp.get('oauth_token')).toMatch(/^[A-Za-z0-9_-]{27,}$/);

    // §2.2
    if (callback === 'oob') {
      expect(r.authorize.status).toBe(200);
    } else {
      expect(r.authorize.status).toBe(303);
      const location = new URL(r.authorize.headers['location']!);
      expect(`${location.origin}${location.pathname}`).toBe('http://client.example/cb');
      expect(location.searchParams.get('oauth_token')).toBe(temp.get('oauth_token'));
      if (callback.includes('state=')) expect(location.searchParams.get('state')).toBe('a b');
    }

    // §2.3, then used once: the same request again is a replay, a new one finds the credentials spent.
    expect(r.token.status).toBe(200);
    const token = form(r.token.body);
    expect([...token.keys()]).toEqual(['oauth_token', 'oauth_token_secret']);
    expect(r.token_replayed.status).toBe(401);
    expect(form(r.token_replayed.body).get('oauth_problem')).toBe('nonce_used');
    expect(r.token_again.status).toBe(401);
    expect(form(r.token_again.body).get('oauth_problem')).toBe('token_used');
    expect(r.token_again.headers['www-authenticate']).toContain('oauth_problem="token_used"');

    // Protected resources
    expect(r.resource.status).toBe(200);
    expect(JSON.parse(r.resource.body)).toEqual({ owner, client, params: [['fields', 'name email'], ['x', '🔑']] });
    expect(r.resource_post.status).toBe(200);
    expect(JSON.parse(r.resource_post.body).params).toContainEqual(['status', 'Hello, Ladies + Gentlemen, a signed OAuth request!']);

    // Revocation
    expect(r.revoke.status).toBe(204);
    expect(r.resource_after_revoke.status).toBe(401);
    expect(form(r.resource_after_revoke.body).get('oauth_problem')).toBe('token_revoked');
    expect((await store.getToken(token.get('oauth_token')!))?.revoked).toBe(true);
  });
});
