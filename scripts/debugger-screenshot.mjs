#!/usr/bin/env node
// Writes docs/debugger.png, the README's picture of the signature debugger:
// the X/Twitter documentation example against a provider base string that
// kept the default port. Needs `npm run build` and Debian's chromium
// (apt-get install chromium); never downloads a browser.
//
//   node scripts/debugger-screenshot.mjs [out.png]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = process.argv[2] ?? join(root, 'docs/debugger.png');
const server = spawn(process.execPath, [join(root, 'dist/cli/bin.js'), 'debugger'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let text = '';
  server.stdout.on('data', (d) => {
    text += d;
    const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(text);
    if (m) resolve(m[0]);
  });
  server.once('exit', (code) => reject(new Error(`oauth1 debugger exited with ${code}`)));
});
const profile = mkdtempSync(join(tmpdir(), 'oauth1-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.OAUTH1_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 900 },
  deviceScaleFactor: 1,
});
try {
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('load-example').click();
  await page.waitForSelector('body[data-state="ready"]');
  const ours = await page.getByTestId('base-string').innerText();
  await page.getByTestId('provider').fill(ours.replace('api.twitter.com', 'api.twitter.com%3A443'));
  await page.waitForSelector('body[data-state="ready"]');
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  server.kill('SIGINT');
}
