/**
 * oauth1/express on real Express 4 servers (body-parser 1.x): the same
 * matrix as express.test.ts.
 */
import { defineHttpSuite } from './http-suite.js';
import { expressSetups } from './servers-express.js';
import { expressSpecifics } from './express-specifics.js';

for (const setup of expressSetups(4)) defineHttpSuite(setup);
expressSpecifics(4);
