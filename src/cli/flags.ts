/**
 * Errors in flag terms: the library names options by their path
 * (`"request.url"`, `"options.client.secret"`); the command line names the
 * flag that sets them.
 * @module
 * @internal
 */

const FLAGS: ReadonlyArray<readonly [path: string, flag: string]> = [
  ['request.url', '--url'],
  ['url', '--url'],
  ['request.method', '--method'],
  ['request.body', '--body'],
  ['options.client.key', '--consumer-key'],
  ['credentials.client.key', '--consumer-key'],
  ['options.client.secret', '--consumer-secret'],
  ['options.client.privateKey', '--private-key'],
  ['options.client', '--consumer-key'],
  ['options.token.key', '--token'],
  ['options.token.secret', '--token-secret'],
  ['options.token', '--token'],
  ['credentials.token', '--token'],
  ['options.signatureMethod', '--signature-method'],
  ['overrides.signatureMethod', '--signature-method'],
  ['options.placement', '--placement'],
  ['options.realm', '--realm'],
  ['options.nonce', '--nonce'],
  ['options.timestamp', '--timestamp'],
  ['options.callback', '--callback'],
  ['options.verifier', '--verifier'],
  ['options.bodyHash', '--body-hash'],
  ['options.includeVersion', '--no-version'],
  ['options.allowPlaintextOverHttp', '--allow-plaintext-over-http'],
  ['options.account', '--account'],
  ['options.baseUrl', '--base-url'],
  ['options.storeUrl', '--base-url'],
  ['options.site', '--base-url'],
  ['options.consumerKey', '--consumer-key'],
  ['options.name', '--app-name'],
  ['options.userAgent', '--app-name'],
  ['id', '--provider'],
  ['keys.privateKey', '--private-key'],
];

/** Replaces each quoted option path in a message with the flag that sets it. */
export function inFlagTerms(message: string): string {
  return message.replace(/"([A-Za-z][\w.[\]]*)"/g, (whole, path: string) => {
    const hit = FLAGS.find(([p]) => p === path || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
    return hit ? hit[1] : whole;
  });
}

/** The flag for an option path, for messages built here. */
export function flagFor(path: string): string {
  return inFlagTerms(`"${path}"`).replace(/^"|"$/g, '');
}
