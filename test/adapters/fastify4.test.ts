/** oauth1/fastify on real Fastify 4 servers: the same matrix as fastify.test.ts. */
import { defineHttpSuite } from './http-suite.js';
import { fastifySetups } from './servers-fastify.js';
import { fastifySpecifics } from './fastify-specifics.js';

for (const setup of fastifySetups(4)) defineHttpSuite(setup);
fastifySpecifics(4);
