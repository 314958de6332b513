/**
 * The signing vectors through independent OAuth 1.0 implementations.
 *
 * Each peer is a Debian package driven by an adapter in test/interop/ that
 * speaks the conformance protocol (DESIGN.md): python3-oauthlib, liboauth (C),
 * PECL oauth (PHP), Net::OAuth (Perl) and ruby-oauth. Every `kind: "sign"`
 * vector goes through every peer and is classified as pass, fail,
 * unsupported, error (the adapter crashed) or acceptable-differs (an
 * `acceptable` vector answered otherwise), as vectors/README.md describes.
 *
 * Peers disagreeing with RFC 5849 do not fail this test: the disagreements
 * are recorded, with what differs, in .tmp/interop-matrix.json (gitignored;
 * docs/interop.md is written from it). What fails it: a peer that cannot be
 * run (in CI; elsewhere its suite is skipped with the reason), an adapter
 * that does not speak the protocol or crashes, an adapter whose reported base
 * string is not the one the peer signed (checked by recomputing the HMAC),
 * and a peer that does not reproduce the core printed HMAC-SHA1 example
 * (OAuth Core 1.0 Appendix A.5): all of these mean the adapter, not the peer,
 * is broken.
 *
 * Debian packages: python3-oauthlib python3-cryptography python3-jwt, gcc
 * libc6-dev pkg-config liboauth-dev libjson-c-dev, php-cli php-oauth,
 * libnet-oauth-perl libcrypt-openssl-rsa-perl, ruby ruby-oauth.
 */
import { createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PEERS,
  ROOT,
  classify,
  loadSignVectors,
  packageVersions,
  runAll,
  runSingle,
  type Classification,
  type RunOutcome,
  type SignVector,
} from './interop/peers.js';

const MATRIX_FILE = join(ROOT, '.tmp', 'interop-matrix.json');
/** Printed in OAuth Core 1.0 Appendix A.5 and on the OAuth wiki; every peer signs it. */
const CORE_VECTOR = 'oauth-core-1-0-a5-protected-resource-hmac-sha1';
/** RFC 5849 §3.4.1.1; it leaves oauth_version out, which some peers cannot do. */
const RFC_VECTOR = 'rfc5849-3-4-1-1-example';

const HMAC: Record<string, string> = { 'HMAC-SHA1': 'sha1', 'HMAC-SHA256': 'sha256', 'HMAC-SHA512': 'sha512' };

/** RFC 5849 §3.6 percent-encoding (for the HMAC key of the check below). */
function rfc3986(value: unknown): string {
  if (typeof value !== 'string') return '';
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const vectors = loadSignVectors();
const byId = new Map(vectors.map((v) => [v.id, v]));

interface PeerReport {
  peer: string;
  name: string;
  packages: string[];
  versions: Record<string, string>;
  ran: boolean;
  reason: string;
  results: Array<{ id: string; file: string; result: SignVector['result'] } & Classification & { output?: unknown }>;
}

const reports: PeerReport[] = [];

function countsOf(results: PeerReport['results']): Record<string, number> {
  const counts: Record<string, number> = { pass: 0, fail: 0, unsupported: 0, error: 0, 'acceptable-differs': 0 };
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

afterAll(() => {
  if (reports.length === 0) return;
  const files = [...new Set(vectors.map((v) => v.file))];
  const matrix = {
    generated: new Date().toISOString(),
    vectors: vectors.length,
    files,
    peers: reports.map((r) => ({
      peer: r.peer,
      name: r.name,
      packages: r.packages,
      versions: r.versions,
      ran: r.ran,
      reason: r.reason,
      counts: countsOf(r.results),
      byFile: Object.fromEntries(files.map((f) => [f, countsOf(r.results.filter((x) => x.file === f))])),
    })),
    // Every result that is not a pass: vector id, peer, what differs.
    deviations: reports.flatMap((r) =>
      r.results
        .filter((x) => x.status !== 'pass')
        .map((x) => ({ peer: r.peer, id: x.id, file: x.file, result: x.result, status: x.status, detail: x.detail, differences: x.differences, output: x.output })),
    ),
    results: reports.map((r) => ({ peer: r.peer, statuses: Object.fromEntries(r.results.map((x) => [x.id, x.status])) })),
  };
  mkdirSync(dirname(MATRIX_FILE), { recursive: true });
  writeFileSync(MATRIX_FILE, JSON.stringify(matrix, null, 2) + '\n');
});

describe('signing vectors corpus', () => {
  it('has sign vectors, including the core examples the peers are checked against', () => {
    expect(vectors.length).toBeGreaterThan(50);
    expect(byId.get(CORE_VECTOR)?.input['signature_method']).toBe('HMAC-SHA1');
    expect(byId.get(RFC_VECTOR)?.input['signature_method']).toBe('HMAC-SHA1');
  });
});

for (const peer of PEERS) {
  const status = peer.prepare();
  const skip = !status.ok && !process.env['CI'];
  const report: PeerReport = {
    peer: peer.id,
    name: peer.name,
    packages: peer.packages,
    versions: packageVersions(peer.versionPackages),
    ran: status.ok,
    reason: status.reason,
    results: [],
  };
  reports.push(report);
  if (skip) console.warn(`[interop-peers] ${peer.id} skipped: ${status.reason}`);

  if (!status.ok) {
    // Outside CI: skipped, with the reason in the suite name. In CI: one failing test saying what to install.
    describe.skipIf(skip)(`peer ${peer.name}${skip ? ` (skipped: ${status.reason})` : ''}`, () => {
      it('has its toolchain installed', () => {
        throw new Error(`${peer.id} cannot run: ${status.reason}`);
      });
    });
    continue;
  }

  describe(`peer ${peer.name}`, () => {
    let outcomes: RunOutcome[] = [];
    const statusOf = (id: string) => report.results.find((r) => r.id === id);

    beforeAll(() => {
      outcomes = runAll(peer, vectors.map((v) => v.input));
      report.results = vectors.map((v, i) => {
        const outcome = outcomes[i]!;
        return { id: v.id, file: v.file, result: v.result, ...classify(v, outcome), output: outcome.ok ? outcome.output : outcome.crash };
      });
    }, 180_000);

    it('speaks the protocol: one request on stdin, one JSON object on stdout', () => {
      const single = runSingle(peer, byId.get(CORE_VECTOR)!.input);
      expect(single.ok ? null : single.crash).toBeNull();
      if (!single.ok) return;
      for (const field of ['base_string', 'signature', 'authorization'] as const) expect(single.output).toHaveProperty(field);
      // The batch run gives the same answer as the single run.
      expect(outcomes[vectors.findIndex((v) => v.id === CORE_VECTOR)]).toEqual(single);
    });

    it(`reproduces the core HMAC-SHA1 example (${CORE_VECTOR})`, () => {
      const r = statusOf(CORE_VECTOR)!;
      expect(r.status, `${r.detail}\n${JSON.stringify(r.differences, null, 1)}`).toBe('pass');
    });

    it(`answers the RFC 5849 §3.4.1.1 example (${RFC_VECTOR}); how is only recorded`, () => {
      // Peers that cannot leave oauth_version out say so; the others sign it (rightly or not: recorded).
      const r = statusOf(RFC_VECTOR)!;
      if (r.status === 'unsupported') expect(r.detail).toMatch(/oauth_version/);
      else expect(['pass', 'fail']).toContain(r.status);
      console.info(`[interop-peers] ${peer.id} ${RFC_VECTOR}: ${r.status} (${r.detail})`);
    });

    it('reports the base string the peer really signed (HMAC recomputed over it)', () => {
      // Guards the adapters' base string capture: whatever the peer signed, the
      // signature it returned must be the HMAC of the base string reported with it.
      let checked = 0;
      vectors.forEach((v, i) => {
        const outcome = outcomes[i]!;
        const algorithm = HMAC[String(v.input['signature_method'])];
        if (!outcome.ok || !algorithm) return;
        const { base_string: base, signature } = outcome.output;
        if (typeof base !== 'string' || typeof signature !== 'string') return;
        const key = `${rfc3986(v.input['consumer_secret'])}&${rfc3986(v.input['token_secret'])}`;
        expect(createHmac(algorithm, key).update(base).digest('base64'), v.id).toBe(signature);
        checked++;
      });
      expect(checked).toBeGreaterThan(20);
    });

    it('reports a signature method it lacks as unsupported', () => {
      const single = runSingle(peer, { ...byId.get(CORE_VECTOR)!.input, signature_method: 'HMAC-MD5' });
      expect(single.ok && single.output.unsupported).toBe(true);
    });

    it('answers every sign vector in protocol form (no adapter crash); disagreements are only recorded', () => {
      expect(report.results).toHaveLength(vectors.length);
      const crashes = report.results.filter((r) => r.status === 'error').map((r) => `${r.id}: ${r.detail}`);
      expect(crashes).toEqual([]);
      const counts = countsOf(report.results);
      console.info(`[interop-peers] ${peer.id}: ${JSON.stringify(counts)}`);
      expect(counts['pass']).toBeGreaterThan(0);
    });
  });
}
