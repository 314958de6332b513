/**
 * oauth1/fastify on real Fastify 5 servers: the shared HTTP suite through the
 * plugin (with Fastify's own JSON and text parsers, and with the app's own
 * parsers) and through the route-level preHandler; then what only this
 * adapter does.
 */
import { defineHttpSuite } from './http-suite.js';
import { fastifySetups } from './servers-fastify.js';
import { fastifySpecifics } from './fastify-specifics.js';

for (const setup of fastifySetups(5)) defineHttpSuite(setup);
fastifySpecifics(5);
