/**
 * Type tests (vitest typecheck): what each adapter puts on the request is
 * typed, and an LTI launch verifier's result is typed through every adapter.
 * The app-wide registry (OAuthRegister) is tested on the packed package
 * (test/package-types.test.ts), since a registration changes every file of a
 * program.
 */
import { createServer, type IncomingMessage } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { Hono } from 'hono';
import passport from 'passport';
import { describe, expectTypeOf, it } from 'vitest';
import { createVerifier, type ClientRecord, type VerifiedRequest } from '../../src/index.js';
import { createLtiLaunchVerifier, type LtiLaunch } from '../../src/profiles/lti.js';
import { expressMiddleware, type OAuthResult } from '../../src/adapters/express.js';
import { fastifyOAuth1, fastifyPreHandler } from '../../src/adapters/fastify.js';
import { koaMiddleware, type KoaOAuthState } from '../../src/adapters/koa.js';
import { honoMiddleware, type HonoOAuthEnv } from '../../src/adapters/hono.js';
import { verifyNodeRequest } from '../../src/adapters/node.js';
import { verifyFetchRequest } from '../../src/adapters/fetch.js';
import { TokenStrategy, ConsumerStrategy } from '../../src/adapters/passport.js';

/** Identical types (the usual conditional-type identity): expect-type's deep compare gives up on KeyObject. */
type Same<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;

const verifier = createVerifier<ClientRecord>({ lookupClient: () => ({ secret: 's' }) });
const lti = createLtiLaunchVerifier<ClientRecord>({ lookupConsumer: () => ({ secret: 's' }) });

describe('the result type', () => {
  it('is VerifiedRequest unless an app registers another', () => {
    expectTypeOf<Same<OAuthResult, VerifiedRequest>>().toEqualTypeOf<true>();
  });

  it('of the function adapters is the verifier\'s own', () => {
    const node = verifyNodeRequest(lti, {} as IncomingMessage);
    const fetched = verifyFetchRequest(lti, new Request('https://x.example/'));
    const plain = verifyNodeRequest(verifier, {} as IncomingMessage);
    expectTypeOf<Same<Awaited<typeof node>, LtiLaunch>>().toEqualTypeOf<true>();
    expectTypeOf<Same<Awaited<typeof fetched>, LtiLaunch>>().toEqualTypeOf<true>();
    expectTypeOf<Same<Awaited<typeof plain>, VerifiedRequest>>().toEqualTypeOf<true>();
  });
});

describe('Express', () => {
  it('types req.oauth in every handler, and takes an LTI verifier', () => {
    const app = express();
    app.use(expressMiddleware(verifier));
    app.use('/lti', expressMiddleware(lti));
    app.get('/me', (req, res) => {
      expectTypeOf<Same<typeof req.oauth, VerifiedRequest | undefined>>().toEqualTypeOf<true>();
      res.json({ client: req.oauth?.clientKey });
    });
    createServer(app);
  });
});

describe('Fastify', () => {
  it('types request.oauth through declaration merging', () => {
    const app = Fastify();
    void app.register(fastifyOAuth1, { verifier });
    void app.register(fastifyOAuth1, { verifier: lti });
    app.get('/me', { preHandler: fastifyPreHandler(lti) }, async (request) => {
      expectTypeOf<Same<typeof request.oauth, VerifiedRequest>>().toEqualTypeOf<true>();
      return { client: request.oauth.clientKey };
    });
  });
});

describe('Koa', () => {
  it('types ctx.state.oauth in a default app, and as the app declares its state', () => {
    const app = new Koa();
    app.use(koaMiddleware(verifier));
    app.use((ctx) => {
      expectTypeOf<Same<typeof ctx.state.oauth, VerifiedRequest | undefined>>().toEqualTypeOf<true>();
    });
    const launches = new Koa<KoaOAuthState<never, never, LtiLaunch>>();
    launches.use(koaMiddleware(lti));
    launches.use((ctx) => {
      expectTypeOf<Same<typeof ctx.state.oauth, LtiLaunch>>().toEqualTypeOf<true>();
      ctx.body = ctx.state.oauth.launch['resource_link_id'];
    });
  });
});

describe('Hono', () => {
  it("types c.get('oauth') from the verifier, with no registration", () => {
    new Hono()
      .use('/lti/*', honoMiddleware(lti))
      .post('/lti/launch', (c) => {
        const oauth = c.get('oauth');
        expectTypeOf<Same<typeof oauth, LtiLaunch>>().toEqualTypeOf<true>();
        return c.text('ok');
      });
    const api = new Hono<HonoOAuthEnv>();
    api.use(honoMiddleware(verifier));
    api.get('/me', (c) => {
      const oauth = c.get('oauth');
      expectTypeOf<Same<typeof oauth, VerifiedRequest>>().toEqualTypeOf<true>();
      return c.json({ client: c.get('oauth').clientKey });
    });
  });
});

describe('Passport', () => {
  it('takes passport-http-oauth callbacks with the app types, and is a Passport strategy', () => {
    interface Consumer { id: string; secret: string }
    interface User { id: string }
    const token = new TokenStrategy<Consumer, User>(
      (key, done) => done(null, { id: key, secret: 's' }, 's'),
      (accessToken, done) => done(null, { id: accessToken }, 'ts', { scope: 'read' }),
      (_timestamp, _nonce, done) => done(null, true),
    );
    passport.use('token', token);
    passport.use('consumer', new ConsumerStrategy<Consumer>({ realm: 'Clients' }, (_key, done) => done(null, false), (t, done) => done(null, t)));
    // @ts-expect-error the token callback gives a secret, not a user
    new ConsumerStrategy<Consumer>((key, done) => done(null, { id: key, secret: 's' }, 's'), (t, done) => done(null, { id: t }));
  });
});
