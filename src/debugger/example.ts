/**
 * The debugger's example: the request of X's developer documentation,
 * "Creating a signature" (https://developer.x.com/content/developer-twitter/en/docs/basics/authentication/guides/creating-a-signature),
 * whose credentials are published there for the purpose. It signs to
 * `hCtSmYh+iHYCEqBWrE7C7hYmtUk=` (vector `x-creating-a-signature-api-twitter-com`
 * in vectors/providers.json).
 * @module
 * @internal
 */
import type { DebuggerInput } from './analyse.js';

export const X_EXAMPLE: Partial<DebuggerInput> = {
  method: 'POST',
  url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
  headers: 'Content-Type: application/x-www-form-urlencoded',
  body: 'status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21',
  signatureMethod: 'HMAC-SHA1',
  consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
  consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
  token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
  tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
  nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
  timestamp: '1318622958',
  includeVersion: true,
  placement: 'header',
};
