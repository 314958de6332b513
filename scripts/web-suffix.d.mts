import type { Plugin } from 'esbuild';
/** esbuild plugin: a relative `x.js` import loads `x.web.ts` when that file exists. */
export const webSuffix: Plugin;
