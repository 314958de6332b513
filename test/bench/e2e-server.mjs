#!/usr/bin/env node
// The server half of the end-to-end benchmark (test/bench/run.mjs starts it as
// a child process and loads it with autocannon from its own process).
//
// Two Express apps in this one process, identical but for the OAuth
// middleware: "plain" parses the form body and answers; "verified" parses the
// form body, verifies the request with oauth1/express, and answers. It prints
// one JSON line with both ports, then serves until killed.
//
//   node test/bench/e2e-server.mjs --entries=<JSON: export path -> file> --credentials=<JSON>

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const express = require('express');
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const entries = JSON.parse(arg('entries') ?? '{}');
const { createVerifier, createMemoryNonceStore } = await import(pathToFileURL(entries['.']).href);
const { expressMiddleware, keepRawBody } = await import(pathToFileURL(entries['./express']).href);

const X = JSON.parse(arg('credentials'));
const verifier = createVerifier({
  lookupClient: (key) => (key === X.client.key ? { secret: X.client.secret } : undefined),
  lookupToken: (key) => (key === X.token.key ? { secret: X.token.secret } : undefined),
  // The default bounds (100 000 unexpired nonces, 32 MiB) would be reached after
  // 100 000 requests within the 10-minute window; a busy server sizes its store.
  nonceStore: createMemoryNonceStore({ maxEntries: 5_000_000, maxBytes: 2 ** 30 }),
  publicUrl: 'https://api.twitter.com',
});

function app(verify) {
  const a = express();
  a.disable('x-powered-by');
  a.disable('etag');
  // The verified app keeps the raw bytes the signature covers (body-parser's
  // verify hook), as an app must when its parser runs before the middleware.
  const chain = [express.urlencoded(verify ? { extended: false, verify: keepRawBody } : { extended: false })];
  if (verify) chain.push(expressMiddleware(verifier));
  a.post('/1.1/statuses/update.json', ...chain, (req, res) => {
    res.json({ ok: true, status: req.body.status?.length ?? 0, client: req.oauth?.clientKey ?? null });
  });
  return a;
}

const listen = (a) =>
  new Promise((resolve) => {
    const server = a.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
const plain = await listen(app(false));
const verified = await listen(app(true));
process.stdout.write(`${JSON.stringify({ plain, verified })}\n`);
// Exit cleanly when the benchmark is done (lets --cpu-prof write its profile).
process.on('SIGTERM', () => process.exit(0));
