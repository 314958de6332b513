/**
 * The crypto back end of the web build: WebCrypto. It replaces `index.ts` in
 * that build (see `contract.ts`).
 * @module
 * @internal
 */
export * from './web.js';
