/**
 * oauth1/express on real Express 5 servers: the shared HTTP suite with no
 * body parser and with each of body-parser's parsers mounted before (with
 * the raw-body hook where needed) or after the middleware; then what only
 * this adapter does.
 */
import { defineHttpSuite } from './http-suite.js';
import { expressSetups } from './servers-express.js';
import { expressSpecifics } from './express-specifics.js';

for (const setup of expressSetups(5)) defineHttpSuite(setup);
expressSpecifics(5);
