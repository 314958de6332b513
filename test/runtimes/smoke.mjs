// A smoke test of the packed package on another runtime (Bun, Deno): every
// subpath loads, a request is signed, verified, and refused once tampered
// with or replayed. It signs with signAsync, which every build has (Deno
// gets the web build, whose HMAC is WebCrypto's, asynchronous). Prints one JSON line; exits 1 on any failure.
const subpaths = JSON.parse(process.argv[2] ?? '[]');
const out = { runtime: typeof Bun !== 'undefined' ? `bun ${Bun.version}` : typeof Deno !== 'undefined' ? `deno ${Deno.version.deno}` : `node ${process.version}`, loaded: 0, checks: [] };
try {
  for (const subpath of subpaths) {
    const m = await import(subpath);
    if (Object.keys(m).length === 0) throw new Error(`${subpath} exports nothing`);
    out.loaded += 1;
  }
  const { signAsync: sign, createVerifier, OAuthError } = await import('oauth1');
  const { verifyFetchRequest } = await import('oauth1/fetch');
  const verifier = createVerifier({ lookupClient: (key) => (key === 'ck' ? { secret: 'cs' } : undefined), lookupToken: (t) => (t === 'tk' ? { secret: 'ts' } : undefined) });
  const credentials = { client: { key: 'ck', secret: 'cs' }, token: { key: 'tk', secret: 'ts' } };
  // RFC 5849 §3.4.1's example, with its well-known signature (erratum 2550).
  const rfc = await sign(
    { method: 'POST', url: 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'c2&a3=2+q' },
    { client: { key: '9djdj82h48djs9d2', secret: 'j49sk3j29djd' }, token: { key: 'kkk9d7dh3k39sjv7', secret: 'dh893hdasih9' }, nonce: '7d8f3e4a', timestamp: 137131201, realm: 'Example', includeVersion: false },
  );
  if (rfc.signature !== 'r6/TJjbCOr97/+UU0NsvSne7s5g=') throw new Error(`RFC 5849 signature: ${rfc.signature}`);
  out.checks.push('rfc5849-signature');
  const signed = await sign({ method: 'POST', url: 'https://api.example.com/r?x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&a=2' }, credentials);
  const request = () => new Request(signed.url, { method: 'POST', headers: signed.headers, body: signed.body });
  const ok = await verifyFetchRequest(verifier, request());
  if (ok.clientKey !== 'ck') throw new Error('not verified');
  out.checks.push('verify');
  const replay = await verifyFetchRequest(verifier, request()).then(() => undefined, (e) => e);
  if (!(replay instanceof OAuthError) || replay.problem !== 'nonce_used') throw new Error(`replay: ${replay}`);
  out.checks.push('replay-refused');
  const again = await sign({ method: 'POST', url: 'https://api.example.com/r', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'amount=10' }, credentials);
  const tampered = await verifier.verify({ method: 'POST', url: again.url, headers: again.headers, body: 'amount=99' }).then(() => undefined, (e) => e);
  if (!(tampered instanceof OAuthError) || tampered.status !== 401) throw new Error(`tampered: ${tampered}`);
  out.checks.push('tampered-refused');
  console.log(JSON.stringify({ ok: true, ...out }));
} catch (err) {
  console.log(JSON.stringify({ ok: false, ...out, error: String(err?.stack ?? err) }));
  process.exit(1);
}
