/** oauth1/koa on real Koa 3 servers: the same matrix as koa.test.ts. */
import { defineHttpSuite } from './http-suite.js';
import { koaSetups } from './servers-koa.js';
import { koaSpecifics } from './koa-specifics.js';

for (const setup of koaSetups(3)) defineHttpSuite(setup);
koaSpecifics(3);
