// An API behind a reverse proxy, both in this one program: the proxy listens
// on PORT (the URL clients address and sign) and forwards to the API on
// another loopback port, as nginx with `proxy_pass` does — the API sees its
// own address in Host, and the client's in X-Forwarded-Host / -Proto / -For.
//
//   PORT=3000 node behind-proxy.ts      (Node ≥ 22.18; npx tsx behind-proxy.ts on Node 20)
//
// Without trustProxy the API would check the signature against
// http://127.0.0.1:<its own port>/…, which is not what the client signed.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerifier, type ClientRecord, type TokenRecord } from 'oauth1';
import { sendOAuthError, verifyNodeRequest } from 'oauth1/node';

const clients = new Map<string, ClientRecord>([['demo-client', { secret: 'demo-client-secret' }]]);
const tokens = new Map<string, TokenRecord>([['demo-token', { secret: 'demo-token-secret', clientKey: 'demo-client' }]]);

const verifier = createVerifier({
  lookupClient: (key) => clients.get(key),
  lookupToken: (key) => tokens.get(key),
  // One proxy sets X-Forwarded-*: believe only the element it wrote (the last).
  // Safe because the API listens on 127.0.0.1 only, where no client but the
  // proxy reaches it. (With proxies on a private network, list their
  // addresses instead: { headers: 'x-forwarded', addresses: ['10.0.0.0/8'] }.)
  trustProxy: { headers: 'x-forwarded', hops: 1 },
});

// ── The API ────────────────────────────────────────────────────────────────
const api = createServer(async (req, res) => {
  try {
    const oauth = await verifyNodeRequest(verifier, req);
    res.setHeader('Content-Type', 'application/json');
    const fields = Object.fromEntries(oauth.params.filter(([name]) => !name.startsWith('oauth_')));
    res.end(JSON.stringify({ client: oauth.clientKey, checkedUrl: oauth.url, fields }));
  } catch (err) {
    if (!sendOAuthError(res, err)) {
      res.statusCode = 500;
      res.end();
    }
  }
});
await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
const apiPort = (api.address() as AddressInfo).port;

// ── The proxy (what nginx, a load balancer or a TLS terminator does) ───────
function forward(req: IncomingMessage, res: ServerResponse): void {
  const headers = { ...req.headers };
  headers['x-forwarded-proto'] = 'http'; // 'https' when this proxy terminates TLS
  headers['x-forwarded-host'] = req.headers.host ?? '';
  headers['x-forwarded-for'] = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
  headers.host = `127.0.0.1:${apiPort}`;
  const upstream = request({ host: '127.0.0.1', port: apiPort, method: req.method, path: req.url, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => res.writeHead(502).end());
  req.pipe(upstream);
}
const proxy = createServer(forward);
proxy.on('close', () => api.close());
proxy.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
});
