/**
 * The crypto back end of this build: node:crypto. The web build resolves
 * this module to `index.web.ts` instead (see `contract.ts`).
 * @module
 * @internal
 */
export * from './node.js';
