// A client calling an OAuth 1.0 API: a GET with a query, a form POST and a
// JSON POST signed with oauth_body_hash. The API and the credentials come
// from the environment:
//
//   API_URL=https://api.example.com CONSUMER_KEY=… CONSUMER_SECRET=… \
//   ACCESS_TOKEN=… ACCESS_TOKEN_SECRET=… node client.ts     (Node ≥ 22.18; npx tsx client.ts on Node 20)
//
// Exits 1 when the API refused a request, after printing the base string we
// signed, to compare with the provider's (docs/guides/troubleshooting.md).
import { createSignedFetch, sign, type SignedRequest } from 'oauth1';

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`set ${name} in the environment`);
  return value;
}

const api = env('API_URL').replace(/\/$/, '');
const client = { key: env('CONSUMER_KEY'), secret: env('CONSUMER_SECRET') };
const token = { key: env('ACCESS_TOKEN'), secret: env('ACCESS_TOKEN_SECRET') };

async function report(what: string, res: Response, signed?: SignedRequest): Promise<void> {
  console.log(`${what}: ${res.status} ${await res.text()}`);
  if (!res.ok) {
    process.exitCode = 1;
    if (signed) console.log(`  we signed: ${signed.baseString}`);
  }
}

// 1. A GET with a query: the query is signed as it is sent.
const get = sign({ method: 'GET', url: `${api}/items?page=2&tag=blue+green` }, { client, token });
await report('GET /items', await fetch(get.url, { method: get.method, headers: get.headers }), get);

// 2. A form POST: the fields are signed too.
const post = sign({ method: 'POST', url: `${api}/items`, body: { name: 'pen', note: 'Hello Ladies + Gentlemen' } }, { client, token });
await report('POST /items (form)', await fetch(post.url, { method: post.method, headers: post.headers, body: post.body }), post);

// 3. A JSON body, through a signed fetch: covered by oauth_body_hash.
const signedFetch = createSignedFetch({ client, token, bodyHash: true });
const json = await signedFetch(`${api}/items`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ name: 'pencil', price: 2 }),
});
await report('POST /items (JSON)', json);
