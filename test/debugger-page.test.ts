// The signature debugger page in headless Chromium (Debian's chromium, driven
// by playwright-core), served by `oauth1 debugger` from the built package.
// Skipped with the reason where Chromium cannot start; with
// OAUTH1_REQUIRE_RUNTIMES=1 (CI) that is a failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromium, launchChromium } from './runtimes/harness.js';

interface XVector {
  id: string;
  input: { method: string; url: string; form: Array<[string, string]>; consumer_key: string; consumer_secret: string; token: string; token_secret: string; nonce: string; timestamp: string };
  expected: { base_string: string; signature: string; authorization: string };
}
const providers = JSON.parse(readFileSync(new URL('../vectors/providers.json', import.meta.url), 'utf8')) as { vectors: XVector[] };
const X = providers.vectors.find((v) => v.id === 'x-creating-a-signature-api-twitter-com');
if (X === undefined) throw new Error('the X/Twitter vector is missing');
const enc = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const CLI = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const required = process.env['OAUTH1_REQUIRE_RUNTIMES'] === '1';
let reason: string | undefined;
let server: ChildProcess | undefined;
let url = '';
let browser: { context: BrowserContext; close(): Promise<void> } | undefined;
let page: Page;
const requests: string[] = [];

beforeAll(async () => {
  reason = await chromium.unavailable();
  if (reason !== undefined) {
    if (required) throw new Error(`chromium must run here (OAUTH1_REQUIRE_RUNTIMES=1): ${reason}`);
    return;
  }
  server = spawn(process.execPath, [CLI, 'debugger', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server?.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) resolve(m[0]);
    });
    server?.once('exit', (code) => reject(new Error(`oauth1 debugger exited with ${code}: ${out}`)));
  });
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('request', (r) => requests.push(r.url()));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGINT');
});

beforeEach(async (ctx) => {
  if (reason !== undefined) ctx.skip(`chromium cannot start here: ${reason}`);
  await page.goto(url);
  await page.waitForSelector('body[data-state="ready"]');
});

/** Fills fields by name, then waits for the page to show the result of that input. */
async function fill(values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    const locator = page.locator(`[name="${name}"]`);
    if ((await locator.evaluate((el) => el.tagName)) === 'SELECT') await locator.selectOption(value);
    else await locator.fill(value);
  }
  await page.waitForSelector('body[data-state="ready"]');
}

const text = (testId: string): Promise<string> => page.getByTestId(testId).innerText();

// The request of the X/Twitter vector, typed into the form as a user would.
const X_FORM = {
  method: X.input.method,
  url: X.input.url,
  headers: 'Content-Type: application/x-www-form-urlencoded',
  body: X.input.form.map(([n, v]) => `${enc(n)}=${enc(v)}`).join('&'),
  consumerKey: X.input.consumer_key,
  consumerSecret: X.input.consumer_secret,
  token: X.input.token,
  tokenSecret: X.input.token_secret,
  nonce: X.input.nonce,
  timestamp: X.input.timestamp,
};

describe('the signature debugger page', () => {
  it('says that nothing leaves the page, and asks for nothing but its own files', async () => {
    expect(await text('privacy')).toMatch(/never leave it/);
    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toMatch(/connect-src 'none'/);
    await fill(X_FORM);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((r) => !r.startsWith(url))).toEqual([]);
  });

  it('filled with the X/Twitter example, shows the documented signature, base string and header', async () => {
    await fill(X_FORM);
    expect(await text('signature')).toBe(X.expected.signature);
    expect(await text('base-string')).toBe(X.expected.base_string);
    expect(await text('authorization')).toBe(X.expected.authorization);
    expect(await page.getByTestId('comparison').isHidden()).toBe(true);
  });

  it('names a default port kept in a pasted provider base string, on the URI row only', async () => {
    await fill(X_FORM);
    const theirs = X.expected.base_string.replace('api.twitter.com', 'api.twitter.com%3A443');
    await fill({ provider: theirs });
    expect(await page.getByTestId('comparison').isVisible()).toBe(true);
    expect(await text('verdict')).toBe('The base strings differ in 1 part.');
    const differing = page.locator('[data-testid="rows"] tr.differs');
    expect(await differing.count()).toBe(1);
    expect(await differing.getAttribute('data-part')).toBe('uri');
    expect(await differing.locator('td.theirs').innerText()).toBe('https://api.twitter.com:443/1.1/statuses/update.json');
    expect(await text('hints')).toMatch(/Port differs: RFC 5849 §3\.4\.1\.2 drops the default port/);
  });

  it('reads a provider\'s error answer: its problem, the advice for it, and the base string it carries', async () => {
    await fill(X_FORM);
    const theirs = X.expected.base_string.replace('%26status%3D', '%26statuses%3D');
    await fill({ provider: `oauth_problem=signature_invalid&debug_sbs=${encodeURIComponent(theirs)}` });
    expect(await text('problem')).toBe('The provider says: signature_invalid');
    expect(await text('advice')).toMatch(/oauth1 explain/);
    const names = await page.locator('[data-testid="rows"] tr.differs').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset['name']));
    expect(names).toEqual(['status', 'statuses']);
  });

  it('the example button loads the same request', async () => {
    await page.getByTestId('load-example').click();
    await page.waitForSelector('body[data-state="ready"]');
    expect(await text('signature')).toBe(X.expected.signature);
  });
});
