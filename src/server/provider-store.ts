/**
 * Where a provider keeps the credentials of the RFC 5849 §2 flow: the store
 * interface, its records, and the bounded in-memory store that
 * `createProvider` is usually given for tests and single-process servers.
 * @module
 */
import type { Awaitable } from '../core/awaitable.js';
import { OAuthError, invalidArgType } from '../core/errors.js';
import { object, optionalFn, positiveInteger } from '../core/validate.js';
import type { TokenRecord } from './verifier/types.js';

/**
 * Temporary credentials as the provider stores them (RFC 5849 §2.1), from
 * issuance until they are exchanged or expire.
 *
 * @example
 * ```ts
 * const pending: TemporaryCredentialsRecord = { key: 'hdk48Djdsa', secret: 'xyz4992k83j47x0b', clientKey: 'ck',
 *   callback: 'https://app.example/cb', createdAt: Date.now(), expiresAt: Date.now() + 600_000 };
 * ```
 * @see RFC 5849 §2.1, §2.2
 * @group Provider
 */
export interface TemporaryCredentialsRecord {
  /** `oauth_token` of the temporary credentials. */
  key: string;
  /** Their shared secret. */
  secret: string;
  /** The client they were issued to. */
  clientKey: string;
  /** `oauth_callback` as the client sent it: an absolute URI, or `'oob'`. */
  callback: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Milliseconds since the epoch; past it they are refused (`token_expired`). A store may drop them then. */
  expiresAt: number;
  /** Set by {@link ProviderStore.approveTemporary} when the resource owner approved. */
  verifier?: string | undefined;
  /** The resource owner who approved. */
  owner?: string | undefined;
  /** What the resource owner approved (scope, duration…), carried to the token credentials. */
  attributes?: Readonly<Record<string, unknown>> | undefined;
  /** Set by a store that keeps used records until they expire, so a second exchange is answered `token_used`. */
  used?: boolean | undefined;
}

/**
 * Token credentials as the provider stores them. It is the verifier's
 * {@link TokenRecord}: `revoked` makes the verifier answer 401
 * `token_revoked`.
 *
 * @example
 * ```ts
 * const token: TokenCredentialsRecord = { key: 'j49ddk933skd9dks', secret: 'll399dj47dskfjdk',
 *   clientKey: 'ck', owner: 'user-42', createdAt: Date.now() };
 * ```
 * @see RFC 5849 §2.3
 * @group Provider
 */
export interface TokenCredentialsRecord extends TokenRecord {
  key: string;
  secret: string;
  /** The client they were issued to; a request signed by another client is refused (`token_rejected`). */
  clientKey: string;
  /** The resource owner they act for. */
  owner: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** What the resource owner approved, to enforce on each request (RFC 5849 §2.3). */
  attributes?: Readonly<Record<string, unknown>> | undefined;
  /** Set by {@link ProviderStore.revokeToken}. */
  revoked?: boolean;
}

/**
 * What {@link ProviderStore.approveTemporary} records: the resource owner's decision.
 *
 * @example
 * ```ts
 * const approval: TemporaryApproval = { verifier: 'Qk3-…', owner: 'user-42', attributes: { scope: 'read' } };
 * ```
 * @see RFC 5849 §2.2
 * @group Provider
 */
export interface TemporaryApproval {
  verifier: string;
  owner: string;
  attributes?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The server's storage for the flow, as callbacks. Each may answer
 * synchronously or with a promise, and answers `null` or `undefined` for
 * "not found".
 *
 * Two of them must be atomic, because they are what makes temporary
 * credentials usable once:
 *
 * - `approveTemporary` records the approval only if the record exists, is
 *   unused and is not approved yet (SQL: `UPDATE … WHERE key = ? AND
 *   verifier IS NULL AND used = false RETURNING *`);
 * - `takeTemporary` hands the record out to one caller only: of two
 *   concurrent calls with one key, at most one gets it, the other gets
 *   `null` (SQL: `UPDATE … SET used = true WHERE key = ? AND used = false
 *   RETURNING *`, or `DELETE … RETURNING *`; Redis: `GETDEL`, or a script
 *   that sets `used`).
 *
 * A store may drop temporary records once `expiresAt` has passed (Redis:
 * `PX expiresAt - createdAt`); keeping used ones until then lets a second
 * exchange be answered `token_used` rather than `token_rejected`.
 * `revokeToken` should keep the record, marked `revoked`, so that requests
 * made with it are answered `token_revoked`.
 *
 * @example A store over a SQL database (sketch)
 * ```ts
 * const store: ProviderStore = {
 *   saveTemporary: (r) => db.insert('oauth_temporary', r),
 *   getTemporary: (key) => db.one('SELECT * FROM oauth_temporary WHERE key = $1', [key]),
 *   approveTemporary: (key, a) => db.one(
 *     'UPDATE oauth_temporary SET verifier = $2, owner = $3, attributes = $4 WHERE key = $1 AND verifier IS NULL AND NOT used RETURNING *',
 *     [key, a.verifier, a.owner, a.attributes]),
 *   takeTemporary: (key) => db.one('UPDATE oauth_temporary SET used = true WHERE key = $1 AND NOT used RETURNING *', [key]),
 *   saveToken: (r) => db.insert('oauth_token', r),
 *   getToken: (key) => db.one('SELECT * FROM oauth_token WHERE key = $1', [key]),
 *   revokeToken: async (key) => (await db.run('UPDATE oauth_token SET revoked = true WHERE key = $1', [key])).rowCount > 0,
 * };
 * ```
 * @see RFC 5849 §2 (temporary credentials used once, limited lifetime; token credentials revocable)
 * @group Provider
 */
export interface ProviderStore {
  /** Stores new temporary credentials. */
  saveTemporary(record: TemporaryCredentialsRecord): Awaitable<void>;
  /** Reads temporary credentials (used ones too, if the store keeps them). */
  getTemporary(key: string): Awaitable<TemporaryCredentialsRecord | null | undefined>;
  /** Atomically records the approval if unused and not yet approved; returns the updated record, else `null`. */
  approveTemporary(key: string, approval: TemporaryApproval): Awaitable<TemporaryCredentialsRecord | null | undefined>;
  /** Atomically takes unused temporary credentials: the first caller gets the record as it was, later ones `null`. */
  takeTemporary(key: string): Awaitable<TemporaryCredentialsRecord | null | undefined>;
  /** Stores new token credentials. */
  saveToken(record: TokenCredentialsRecord): Awaitable<void>;
  /** Reads token credentials (revoked ones too). */
  getToken(key: string): Awaitable<TokenCredentialsRecord | null | undefined>;
  /** Marks token credentials revoked; `true` when they existed. */
  revokeToken(key: string): Awaitable<boolean>;
}

/**
 * Options of {@link createMemoryProviderStore}.
 *
 * @example
 * ```ts
 * const options: MemoryProviderStoreOptions = { maxTemporary: 1_000, maxTokens: 10_000 };
 * ```
 * @see RFC 5849 §4.10
 * @group Provider
 */
export interface MemoryProviderStoreOptions {
  /** Most temporary records held (used ones kept until they expire count too). Default 10 000. */
  maxTemporary?: number;
  /** Most token records held (revoked ones count too). Default 100 000. */
  maxTokens?: number;
  /** Milliseconds since the epoch, for dropping expired temporary records. Default `Date.now`. */
  clock?: () => number;
}

/**
 * The in-memory {@link ProviderStore}: synchronous, bounded, one process.
 *
 * @example
 * ```ts
 * const store: MemoryProviderStore = createMemoryProviderStore();
 * store.countTemporary('ck'); // 0
 * ```
 * @see RFC 5849 §2
 * @group Provider
 */
export interface MemoryProviderStore extends ProviderStore {
  saveTemporary(record: TemporaryCredentialsRecord): void;
  getTemporary(key: string): TemporaryCredentialsRecord | undefined;
  approveTemporary(key: string, approval: TemporaryApproval): TemporaryCredentialsRecord | undefined;
  takeTemporary(key: string): TemporaryCredentialsRecord | undefined;
  saveToken(record: TokenCredentialsRecord): void;
  getToken(key: string): TokenCredentialsRecord | undefined;
  revokeToken(key: string): boolean;
  /** How many unused, unexpired temporary credentials a client holds: for `allowTemporary`. */
  countTemporary(clientKey: string): number;
  /** How many records are held now (expired temporary ones are dropped first). */
  readonly size: { temporary: number; tokens: number };
}

interface HeldTemporary {
  record: TemporaryCredentialsRecord;
  /** When the store drops it, on its own clock. */
  dropAt: number;
}

const full = (what: string): OAuthError =>
  new OAuthError(503, 'temporarily_unavailable', `the server cannot hold more ${what} now; try again later`, { retryAfter: 1 });

/** Temporary records, in the order they were saved (so they expire from the oldest end), with a count of unused ones per client. */
class TemporaryRecords {
  private readonly held = new Map<string, HeldTemporary>();
  /** Unused temporary records per client. */
  private readonly unused = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly clock: () => number,
  ) {}

  get size(): number {
    return this.held.size;
  }

  private adjust(clientKey: string, by: number): void {
    const n = (this.unused.get(clientKey) ?? 0) + by;
    if (n > 0) this.unused.set(clientKey, n);
    else this.unused.delete(clientKey);
  }

  private drop(key: string, held: HeldTemporary): void {
    this.held.delete(key);
    if (held.record.used !== true) this.adjust(held.record.clientKey, -1);
  }

  /** Drops expired records from the oldest end; `all` scans every record. */
  sweep(all: boolean): void {
    const now = this.clock();
    for (const [key, held] of this.held) {
      if (held.dropAt <= now) this.drop(key, held);
      else if (!all) break;
    }
  }

  /** The held record behind `key`, unless it has expired. */
  live(key: string): HeldTemporary | undefined {
    const held = this.held.get(key);
    if (held === undefined || held.dropAt > this.clock()) return held;
    this.drop(key, held);
    return undefined;
  }

  save(record: TemporaryCredentialsRecord): void {
    this.sweep(false);
    if (this.held.size >= this.max) this.sweep(true);
    if (this.held.size >= this.max && !this.held.has(record.key)) throw full('temporary credentials');
    const old = this.held.get(record.key);
    if (old !== undefined) this.drop(record.key, old);
    const lifetime = Math.max(0, record.expiresAt - record.createdAt);
    this.held.set(record.key, { record: { ...record }, dropAt: this.clock() + lifetime });
    if (record.used !== true) this.adjust(record.clientKey, 1);
  }

  /** Marks the record used (the first caller gets it as it was). */
  take(key: string): TemporaryCredentialsRecord | undefined {
    const held = this.live(key);
    if (held === undefined || held.record.used === true) return undefined;
    const taken = { ...held.record };
    held.record.used = true;
    this.adjust(held.record.clientKey, -1);
    return taken;
  }

  countUnused(clientKey: string): number {
    this.sweep(false);
    return this.unused.get(clientKey) ?? 0;
  }
}

/**
 * Creates the in-memory {@link ProviderStore}, for tests, demos and small
 * single-process servers.
 *
 * - Records are copied in and out: changing a returned record changes
 *   nothing stored.
 * - `takeTemporary` marks the record used and keeps it until it expires, so
 *   a second exchange is answered `token_used`; being synchronous, it is
 *   atomic within the process.
 * - Temporary records are dropped `expiresAt - createdAt` after they were
 *   saved, measured on the store's clock (so a test's fake provider clock
 *   does not make them vanish).
 * - Bounded: past `maxTemporary` or `maxTokens` records, saving throws 503
 *   `temporarily_unavailable` rather than forgetting live credentials.
 *   Pair it with `allowTemporary` and {@link MemoryProviderStore.countTemporary}
 *   so that one client cannot fill it.
 *
 * @example
 * ```ts
 * const store = createMemoryProviderStore();
 * const provider = createProvider({
 *   lookupClient: (key) => clients.get(key),
 *   store,
 *   allowTemporary: (clientKey) => store.countTemporary(clientKey) < 20,
 * });
 * ```
 * @throws TypeError naming the option for a programmer's mistake.
 * @see RFC 5849 §2, §4.10
 * @group Provider
 */
export function createMemoryProviderStore(options: MemoryProviderStoreOptions = {}): MemoryProviderStore {
  object(options, 'options');
  const maxTokens = positiveInteger(options.maxTokens, 'options.maxTokens', 100_000);
  const clock = optionalFn<() => number>(options.clock, 'options.clock') ?? Date.now;
  const temporary = new TemporaryRecords(positiveInteger(options.maxTemporary, 'options.maxTemporary', 10_000), clock);
  const tokens = new Map<string, TokenCredentialsRecord>();

  return {
    saveTemporary(record) {
      if (typeof record?.key !== 'string' || typeof record.clientKey !== 'string') throw invalidArgType('record', 'a temporary credentials record');
      temporary.save(record);
    },
    getTemporary(key) {
      const held = temporary.live(key);
      return held && { ...held.record };
    },
    approveTemporary(key, approval) {
      const held = temporary.live(key);
      if (held === undefined || held.record.used === true || held.record.verifier !== undefined) return undefined;
      held.record.verifier = approval.verifier;
      held.record.owner = approval.owner;
      if (approval.attributes !== undefined) held.record.attributes = approval.attributes;
      return { ...held.record };
    },
    takeTemporary: (key) => temporary.take(key),
    saveToken(record) {
      if (typeof record?.key !== 'string' || typeof record.secret !== 'string') throw invalidArgType('record', 'a token credentials record');
      if (tokens.size >= maxTokens && !tokens.has(record.key)) throw full('token credentials');
      tokens.set(record.key, { ...record });
    },
    getToken(key) {
      const record = tokens.get(key);
      return record && { ...record };
    },
    revokeToken(key) {
      const record = tokens.get(key);
      if (record !== undefined) record.revoked = true;
      return record !== undefined;
    },
    countTemporary: (clientKey) => temporary.countUnused(clientKey),
    get size() {
      temporary.sweep(true);
      return { temporary: temporary.size, tokens: tokens.size };
    },
  };
}
