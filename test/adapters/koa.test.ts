/**
 * oauth1/koa on real Koa 2 servers: the shared HTTP suite with no body
 * parser and with koa-bodyparser and @koa/bodyparser mounted before or after
 * the middleware; then what only this adapter does.
 */
import { defineHttpSuite } from './http-suite.js';
import { koaSetups } from './servers-koa.js';
import { koaSpecifics } from './koa-specifics.js';

for (const setup of koaSetups(2)) defineHttpSuite(setup);
koaSpecifics(2);
