/**
 * `oauth1/testing`: contract suites for the stores a server plugs in. The
 * in-memory and Redis stores of this package pass them; run them against a
 * store of your own (SQL, DynamoDB…) in its CI, with any test runner: each
 * check is a name and an async function that rejects when the store breaks
 * the contract.
 *
 * @example vitest or jest
 * ```ts
 * import { providerStoreContract } from 'oauth1/testing';
 * describe('my provider store', () => {
 *   for (const c of providerStoreContract({ makeStore: () => createMyStore() })) it(c.name, c.run);
 * });
 * ```
 * @module oauth1/testing
 */
export { ContractError, type ContractCheck } from './contract.js';
export { providerStoreContract, type ProviderStoreContractOptions } from './provider-store.js';
export { nonceStoreContract, type NonceStoreContractOptions } from './nonce-store.js';
