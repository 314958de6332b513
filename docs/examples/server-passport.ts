// An Express API protected by Passport, with the callbacks passport-http-oauth
// users already have: oauth1/passport's TokenStrategy takes them as they are.
//
//   PORT=3000 node server-passport.ts      (Node ≥ 22.18; npx tsx server-passport.ts on Node 20)
import express from 'express';
import passport from 'passport';
import type { VerifiedRequest } from 'oauth1';
import { TokenStrategy, keepRawBody } from 'oauth1/passport';

// What the strategy puts in req.authInfo besides the callbacks' `info`: typed once for the app.
declare global {
  namespace Express {
    interface AuthInfo {
      scope?: string;
      verified?: VerifiedRequest;
    }
  }
}

// Your database: consumers (clients) and access tokens with the user they act for.
const consumers = new Map([['demo-client', { id: 'app-1', secret: 'demo-client-secret' }]]);
// Each token records the consumer it was issued to (clientKey): the strategy refuses it for any other.
const accessTokens = new Map([['demo-token', { secret: 'demo-token-secret', clientKey: 'demo-client', user: { id: 'user-42', name: 'Ada' }, scope: 'items' }]]);

passport.use(
  'token',
  new TokenStrategy(
    // consumer(consumerKey, done): done(null, consumer, consumerSecret), or done(null, false)
    (consumerKey, done) => {
      const consumer = consumers.get(consumerKey);
      done(null, consumer ?? false, consumer?.secret);
    },
    // verify(accessToken, done): done(null, user, tokenSecret, info), or done(null, false)
    (accessToken, done) => {
      const token = accessTokens.get(accessToken);
      if (token === undefined) return done(null, false);
      return done(null, token.user, token.secret, { scope: token.scope, clientKey: token.clientKey });
    },
  ),
);

const app = express();
// Parsers before the strategy keep the bytes the signature covers (req.rawBody) through their verify hook.
app.use(express.urlencoded({ extended: true, verify: keepRawBody }));
app.use(express.json({ verify: keepRawBody }));

const authenticate = passport.authenticate('token', { session: false });
app.get('/api/items', authenticate, (req, res) => {
  res.json({ client: req.authInfo?.verified?.clientKey, user: req.user, scope: req.authInfo?.scope, query: req.query });
});
app.post('/api/items', authenticate, (req, res) => {
  res.status(201).json({ client: req.authInfo?.verified?.clientKey, user: req.user, created: req.body });
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object') console.log(`listening on http://127.0.0.1:${address.port}`);
});
