/**
 * The contract of a {@link ProviderStore}, as checks any store can run: the
 * in-memory and Redis stores of this package pass it, and so must a store of
 * your own (SQL, DynamoDB…) before a provider relies on it.
 * @module
 * @internal
 */
import type { Awaitable } from '../core/awaitable.js';
import { fn, object, optionalFn, positiveInteger } from '../core/validate.js';
import type { ProviderStore, TemporaryCredentialsRecord, TokenCredentialsRecord } from '../server/provider-store.js';
import { check, hasFields, show, sleep, uniqueKey, type ContractCheck } from './contract.js';

/**
 * Options of {@link providerStoreContract}.
 *
 * @example A store over a test database, emptied for each check
 * ```ts
 * const options: ProviderStoreContractOptions = { makeStore: async () => { await db.truncate(); return createSqlStore(db); } };
 * ```
 * @group Testing
 */
export interface ProviderStoreContractOptions {
  /** A store for one check (a fresh one, or a shared one: every check uses keys of its own). */
  makeStore(): Awaitable<ProviderStore>;
  /**
   * Lets `ms` milliseconds pass for the store. Default: waits for real, so
   * the expiry check takes about `ttlMs`. A store on a fake clock advances it.
   */
  advance?(ms: number): Awaitable<void>;
  /** Lifetime of the temporary credentials in the expiry check, in milliseconds. Default 1000. */
  ttlMs?: number;
  /** Concurrent calls in the race checks. Default 8. */
  concurrency?: number;
}

const LONG = 10 * 60 * 1000;

function temporary(label: string, ttl = LONG): TemporaryCredentialsRecord {
  const now = Date.now();
  return { key: uniqueKey(label), secret: `secret of ${label}`, clientKey: 'contract-client', callback: 'https://client.example/cb?x=1', createdAt: now, expiresAt: now + ttl };
}

function token(label: string): TokenCredentialsRecord {
  return { key: uniqueKey(label), secret: `secret of ${label}`, clientKey: 'contract-client', owner: 'user-42', createdAt: Date.now(), attributes: { scope: ['read', 'write'], note: 'é ☕' } };
}

const APPROVAL = { verifier: 'v-1', owner: 'user-42', attributes: { scope: 'read' } };
const found = (value: unknown): boolean => value !== null && value !== undefined;
const fieldsOf = (r: TemporaryCredentialsRecord): Record<string, unknown> => ({ key: r.key, secret: r.secret, clientKey: r.clientKey, callback: r.callback, createdAt: r.createdAt, expiresAt: r.expiresAt });

function temporaryChecks(make: () => Awaitable<ProviderStore>, concurrency: number): ContractCheck[] {
  return [
    { name: 'saveTemporary then getTemporary gives the record back, field for field', async run() {
      const store = await make();
      const record = temporary('round-trip');
      await store.saveTemporary(record);
      const got = await store.getTemporary(record.key);
      check(hasFields(got, fieldsOf(record)), `getTemporary gave ${show(got)} for ${show(record)}`);
      check(got?.used !== true && got?.verifier === undefined, `a new record came back used or approved: ${show(got)}`);
    } },
    { name: 'unknown temporary credentials are not found (null or undefined), by every method', async run() {
      const store = await make();
      const key = uniqueKey('unknown');
      check(!found(await store.getTemporary(key)), 'getTemporary found unknown credentials');
      check(!found(await store.approveTemporary(key, APPROVAL)), 'approveTemporary approved unknown credentials');
      check(!found(await store.takeTemporary(key)), 'takeTemporary handed out unknown credentials');
    } },
    { name: 'approveTemporary records the approval once and returns the approved record', async run() {
      const store = await make();
      const record = temporary('approve');
      await store.saveTemporary(record);
      const approved = await store.approveTemporary(record.key, APPROVAL);
      check(hasFields(approved, { ...fieldsOf(record), ...APPROVAL }), `approveTemporary returned ${show(approved)}`);
      check(hasFields(await store.getTemporary(record.key), APPROVAL), 'the approval was not kept');
      check(!found(await store.approveTemporary(record.key, { ...APPROVAL, owner: 'someone-else' })), 'a second approval was accepted');
    } },
    { name: 'takeTemporary hands the record out once: first the record as it was (approval included), then nothing', async run() {
      const store = await make();
      const record = temporary('take');
      await store.saveTemporary(record);
      await store.approveTemporary(record.key, APPROVAL);
      const taken = await store.takeTemporary(record.key);
      check(hasFields(taken, { ...fieldsOf(record), ...APPROVAL }) && taken?.used !== true, `the first take gave ${show(taken)}`);
      check(!found(await store.takeTemporary(record.key)), 'a second take handed the record out again');
      check(!found(await store.approveTemporary(record.key, APPROVAL)), 'used credentials were approved');
      const after = await store.getTemporary(record.key);
      check(!found(after) || after?.used === true, `after the take, getTemporary gave an unused record: ${show(after)}`);
    } },
    { name: `of ${concurrency} concurrent takes of the same credentials, exactly one gets them`, async run() {
      const store = await make();
      const record = temporary('race-take');
      await store.saveTemporary(record);
      const results = await Promise.all(Array.from({ length: concurrency }, () => store.takeTemporary(record.key)));
      const winners = results.filter(found).length;
      check(winners === 1, `${winners} of ${concurrency} concurrent takes got the credentials`);
    } },
    { name: `of ${concurrency} concurrent approvals, exactly one is recorded`, async run() {
      const store = await make();
      const record = temporary('race-approve');
      await store.saveTemporary(record);
      const results = await Promise.all(Array.from({ length: concurrency }, (_, i) => store.approveTemporary(record.key, { ...APPROVAL, owner: `owner-${i}` })));
      const winners = results.filter(found);
      check(winners.length === 1, `${winners.length} of ${concurrency} concurrent approvals were recorded`);
      const kept = await store.getTemporary(record.key);
      check(kept?.owner === winners[0]?.owner, `the approval kept (${show(kept?.owner)}) is not the one returned (${show(winners[0]?.owner)})`);
    } },
  ];
}

function expiryCheck(make: () => Awaitable<ProviderStore>, advance: (ms: number) => Awaitable<void>, ttl: number): ContractCheck {
  return {
    name: `temporary credentials expire ${ttl} ms after they are saved (expiresAt - createdAt)`,
    async run() {
      const store = await make();
      const record = temporary('expiry', ttl);
      const other = temporary('expiry-approved', ttl);
      await store.saveTemporary(record);
      await store.saveTemporary(other);
      await store.approveTemporary(other.key, APPROVAL);
      check(found(await store.getTemporary(record.key)), 'the credentials were gone before their time');
      await advance(ttl + Math.max(50, ttl / 2));
      check(!found(await store.takeTemporary(record.key)), 'expired credentials were handed out');
      check(!found(await store.takeTemporary(other.key)), 'expired approved credentials were handed out');
      const got = await store.getTemporary(record.key);
      check(!found(got) || got?.expiresAt === record.expiresAt, `expired credentials came back changed: ${show(got)}`);
    },
  };
}

function tokenChecks(make: () => Awaitable<ProviderStore>): ContractCheck[] {
  return [
    { name: 'saveToken then getToken gives the record back, attributes included', async run() {
      const store = await make();
      const record = token('token');
      await store.saveToken(record);
      const got = await store.getToken(record.key);
      check(hasFields(got, { ...record }) && got?.revoked !== true, `getToken gave ${show(got)} for ${show(record)}`);
      check(!found(await store.getToken(uniqueKey('no-token'))), 'getToken found an unknown token');
    } },
    { name: 'revokeToken marks the record revoked and keeps it; unknown tokens answer false', async run() {
      const store = await make();
      const record = token('revoke');
      await store.saveToken(record);
      check((await store.revokeToken(record.key)) === true, 'revokeToken did not answer true for a stored token');
      const got = await store.getToken(record.key);
      check(hasFields(got, { key: record.key, secret: record.secret, owner: record.owner }) && got?.revoked === true, `after revocation, getToken gave ${show(got)}`);
      check((await store.revokeToken(uniqueKey('no-token'))) === false, 'revokeToken answered true for an unknown token');
      check(!found(await store.getToken(uniqueKey('no-token'))), 'revoking an unknown token created it');
    } },
  ];
}

function isolationChecks(make: () => Awaitable<ProviderStore>): ContractCheck[] {
  return [
    { name: 'records are copies: changing what a method returned changes nothing stored', async run() {
      const store = await make();
      const record = temporary('copy');
      await store.saveTemporary(record);
      record.secret = 'changed after saving';
      const got = await store.getTemporary(record.key);
      check(got?.secret === 'secret of copy', `the store kept a reference to the saved record: ${show(got)}`);
      if (got) got.clientKey = 'changed after reading';
      check((await store.getTemporary(record.key))?.clientKey === 'contract-client', 'the store handed out its own record');
    } },
    { name: 'temporary and token credentials with the same key, and keys of any shape, do not meet', async run() {
      const store = await make();
      const shared = uniqueKey('same key: é/☕{x}*?');
      const long = uniqueKey('x'.repeat(1000));
      await store.saveTemporary({ ...temporary('shape'), key: shared });
      await store.saveToken({ ...token('shape'), key: shared, secret: 'token secret' });
      await store.saveTemporary({ ...temporary('long'), key: long, secret: 'long' });
      check((await store.getTemporary(shared))?.secret === 'secret of shape', 'the token overwrote the temporary credentials of the same key');
      check((await store.getToken(shared))?.secret === 'token secret', 'the temporary credentials overwrote the token of the same key');
      check((await store.getTemporary(long))?.secret === 'long', 'a 1000-character key did not round-trip');
      check(!found(await store.getTemporary(long.slice(0, -1))), 'a prefix of a long key found its record');
    } },
  ];
}

/**
 * The checks a {@link ProviderStore} must pass: round trips of both kinds of
 * records, approval recorded once, temporary credentials handed out once
 * (under concurrency too), expiry by `expiresAt - createdAt`, revocation that
 * keeps the record, records copied in and out, keys that never meet. Each
 * check is independent and uses keys of its own; run them with any test
 * runner.
 *
 * A store shared by several processes must be atomic across them: run the
 * checks against a real backend (the race checks then go through it).
 *
 * @example vitest or jest
 * ```ts
 * import { providerStoreContract } from 'oauth1/testing';
 * describe('my SQL provider store', () => {
 *   for (const c of providerStoreContract({ makeStore: () => createSqlProviderStore(pool) })) it(c.name, c.run);
 * });
 * ```
 * @group Testing
 */
export function providerStoreContract(options: ProviderStoreContractOptions): ContractCheck[] {
  object(options, 'options');
  const make = fn<() => Awaitable<ProviderStore>>(options.makeStore, 'options.makeStore');
  const advance = optionalFn<(ms: number) => Awaitable<void>>(options.advance, 'options.advance') ?? sleep;
  const ttl = positiveInteger(options.ttlMs, 'options.ttlMs', 1000, 'milliseconds');
  const concurrency = positiveInteger(options.concurrency, 'options.concurrency', 8);
  return [...temporaryChecks(make, concurrency), expiryCheck(make, advance, ttl), ...tokenChecks(make), ...isolationChecks(make)];
}
