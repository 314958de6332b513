/**
 * Every generated-request property, in one list: the short run in `npm test`
 * (differential.test.ts, mutation.test.ts, security.test.ts) and the long run
 * (`npm run fuzz`, fuzz.run.ts) both read it.
 *
 * `openFinding` marks a property that fails on today's code because the
 * issue 9 finding it checks is not fixed yet: the short run asserts that it
 * fails (it.fails), the long run reports it as open. Delete the field when
 * the fix lands, and the property guards the fix from then on.
 */
import type fc from 'fast-check';
import type { OauthlibWorker } from '../helpers/oauthlib-worker.js';
import { acceptedByBoth, clientAgreement, pathAsSent } from './differential.js';
import type { PropertyStats } from './harness.js';
import { MUTATIONS, mutationsRefused, pathRewritesThroughNode, type MutationKind } from './mutation.js';
import {
  carelessRecords,
  formReadAsSigned,
  neverCrashes,
  noExistenceLeak,
  noReplayInsideWindow,
  nonceStoreBounded,
  proxyTrustAsProxiesBehave,
  storeFailureIs503,
} from './security.js';

export interface PropertyContext {
  /** The long-running oauthlib process (only for `oauthlib` properties). */
  worker: OauthlibWorker;
  stats: PropertyStats;
}

export interface CatalogEntry {
  id: string;
  title: string;
  /** Which short-run file runs it. */
  group: 'differential' | 'mutation' | 'security';
  /** Needs python3-oauthlib. */
  oauthlib: boolean;
  /** The issue 9 finding this property shows and that is not fixed yet. */
  openFinding?: number;
  /** Cases in `npm test`. */
  shortRuns: number;
  /** Share of the long run's cases. */
  weight: number;
  make(ctx: PropertyContext): fc.IAsyncPropertyWithHooks<any>;
}

const PATH_REWRITES: readonly MutationKind[] = ['path-dot-segment', 'path-backslash'];

export const CATALOG: readonly CatalogEntry[] = [
  {
    id: 'client-agreement',
    title: "oauthlib's Client and sign() compute the same base string and signature; our verifier accepts what oauthlib signs",
    group: 'differential',
    oauthlib: true,
    shortRuns: 120,
    weight: 4,
    make: ({ worker, stats }) => clientAgreement(worker, stats),
  },
  {
    id: 'accepted-by-both',
    title: "what sign() produces is accepted by oauthlib's endpoints and by our verifier",
    group: 'differential',
    oauthlib: true,
    shortRuns: 120,
    weight: 4,
    make: ({ worker, stats }) => acceptedByBoth(worker, stats),
  },
  {
    id: 'path-as-sent',
    title: 'sign() signs a path with dot segments or backslashes exactly as it sends it, and oauthlib agrees (issue 9, finding 1)',
    group: 'differential',
    oauthlib: true,
    shortRuns: 40,
    weight: 1,
    make: ({ worker, stats }) => pathAsSent(worker, stats),
  },
  {
    id: 'mutations',
    title: "a change to anything signed is refused; the realm, the host's case and an explicit default port change nothing",
    group: 'mutation',
    oauthlib: false,
    shortRuns: 300,
    weight: 6,
    make: ({ stats }) => mutationsRefused(stats, MUTATIONS.filter((k) => !PATH_REWRITES.includes(k))),
  },
  {
    id: 'path-rewrites',
    title: 'a path rewritten with dot segments or backslashes is refused (issue 9, finding 1)',
    group: 'mutation',
    oauthlib: false,
    shortRuns: 60,
    weight: 1,
    make: ({ stats }) => mutationsRefused(stats, PATH_REWRITES),
  },
  {
    id: 'path-rewrites-node',
    title: 'through the node adapter, a path rewritten with dot segments or backslashes is refused, in origin and absolute form (issue 9, finding 1)',
    group: 'mutation',
    oauthlib: false,
    shortRuns: 60,
    weight: 1,
    make: ({ stats }) => pathRewritesThroughNode(stats),
  },
  {
    id: 'robustness',
    title: 'a corrupted signed request gets a 400 or 401 OAuthError, never another error or a secret, directly and through the fetch adapter',
    group: 'security',
    oauthlib: false,
    shortRuns: 150,
    weight: 5,
    make: ({ stats }) => neverCrashes(stats),
  },
  {
    id: 'proxy-trust',
    title: 'behind trusted proxies, only what the outermost trusted proxy wrote decides the URL; nothing a client wrote does (issue 9, finding 4)',
    group: 'security',
    oauthlib: false,
    shortRuns: 60,
    weight: 2,
    make: ({ stats }) => proxyTrustAsProxiesBehave(stats),
  },
  {
    id: 'careless-records',
    title: 'careless client and token records are refused with 401, never a 500 (issue 9, finding 5)',
    group: 'security',
    oauthlib: false,
    shortRuns: 100,
    weight: 2,
    make: ({ stats }) => carelessRecords(stats),
  },
  {
    id: 'existence',
    title: 'a wrong signature gets one answer whether or not the client and token exist (issue 9, finding 6)',
    group: 'security',
    oauthlib: false,
    shortRuns: 20,
    weight: 1,
    make: ({ stats }) => noExistenceLeak(stats),
  },
  {
    id: 'replay',
    title: 'no replay is accepted while the timestamp is inside the window, at ms resolution (issue 9, finding 7)',
    group: 'security',
    oauthlib: false,
    shortRuns: 100,
    weight: 2,
    make: ({ stats }) => noReplayInsideWindow(stats),
  },
  {
    id: 'form-read-as-signed',
    title: 'the fetch adapter never lets the application read form fields the signature did not cover (issue 9, finding 2)',
    group: 'security',
    oauthlib: false,
    shortRuns: 60,
    weight: 1,
    make: ({ stats }) => formReadAsSigned(stats),
  },
  {
    id: 'nonce-store-bytes',
    title: 'the memory nonce store holds a bounded number of bytes per request, however long the nonce (issue 9, finding 3)',
    group: 'security',
    oauthlib: false,
    shortRuns: 15,
    weight: 1,
    make: ({ stats }) => nonceStoreBounded(stats),
  },
  {
    id: 'store-failure',
    title: 'a nonce store that fails makes the answer a 503 with Retry-After (issue 9, finding 9)',
    group: 'security',
    oauthlib: false,
    shortRuns: 30,
    weight: 1,
    make: ({ stats }) => storeFailureIs503(stats),
  },
];
