/**
 * Express 4 and 5 setups: no body parser, or one of body-parser's parsers
 * (`express.urlencoded` extended or not, `express.json`, `express.text`,
 * `express.raw`) mounted before the OAuth middleware (with the raw-body
 * hook, `verify: keepRawBody`, where it needs one) or after it.
 */
import { createServer } from 'node:http';
import express from 'express';
import express4 from 'express4';
import type { VerifiedRequest } from '../../src/server/verifier/index.js';
import { expressMiddleware, keepRawBody } from '../../src/adapters/express.js';
import { closer, describeOAuth, frameworkError, listening, restOf, type Features, type ParsedKind, type Setup } from './servers.js';

export type ExpressParser = 'none' | 'urlencoded(extended)' | 'urlencoded(flat)' | 'json' | 'text' | 'raw' | 'json+urlencoded(extended)+text';

type ExpressModule = typeof express;

/**
 * The parser middleware(s). Mounted before the OAuth middleware, the parsers
 * that turn the body into an object get the raw-body hook; `express.text()`
 * and `express.raw()` do not need it (they leave text or bytes in req.body).
 */
function parsersOf(e: ExpressModule, parser: ExpressParser, limit: number, hook: boolean): express.RequestHandler[] {
  const verify = hook ? { verify: keepRawBody } : {};
  const text = () => e.text({ type: ['text/*', 'application/xml'], limit });
  switch (parser) {
    case 'none':
      return [];
    case 'urlencoded(extended)':
      return [e.urlencoded({ extended: true, limit, ...verify })];
    case 'urlencoded(flat)':
      return [e.urlencoded({ extended: false, limit, ...verify })];
    case 'json':
      return [e.json({ limit, ...verify })];
    case 'text':
      return [text()];
    case 'raw':
      return [e.raw({ type: () => true, limit })];
    case 'json+urlencoded(extended)+text':
      return [e.json({ limit, ...verify }), e.urlencoded({ extended: true, limit, ...verify }), text()];
  }
}

function featuresOf(parser: ExpressParser): Features {
  const parses: Record<ExpressParser, ParsedKind[]> = {
    none: ['form'],
    'urlencoded(extended)': ['form'],
    'urlencoded(flat)': ['form'],
    json: ['json'],
    text: ['text', 'xml'],
    raw: ['bytes'],
    'json+urlencoded(extended)+text': ['form', 'json', 'text', 'xml'],
  };
  const nested = parser === 'urlencoded(extended)' || parser === 'json+urlencoded(extended)+text';
  // With no form parser, the middleware leaves the flat fields it verified in req.body.
  const formShape = nested ? 'nested' : parser === 'none' || parser === 'urlencoded(flat)' ? 'flat' : null;
  return { parses: parses[parser], formShape, rest: parser === 'none', mount: true };
}

/** Parsers that read a form body before the middleware (and so answer a too-large one themselves). */
function readsFormsFirst(parser: ExpressParser, position: 'before' | 'after'): boolean {
  return position === 'before' && (parser.includes('urlencoded') || parser === 'raw');
}

export function expressSetup(version: 4 | 5, parser: ExpressParser, position: 'before' | 'after'): Setup {
  const e = (version === 4 ? express4 : express) as ExpressModule;
  const name = parser === 'none' ? `express${version} none` : `express${version} ${parser} ${position}`;
  const setup: Setup = {
    name,
    framework: 'express',
    version: String(version),
    parsers: parser,
    position: parser === 'none' ? 'n/a' : position,
    async start(verifier, { bodyLimit }) {
      const app = e();
      const before = position === 'before' ? parsersOf(e, parser, bodyLimit, true) : [];
      const after = position === 'after' ? parsersOf(e, parser, bodyLimit, false) : [];
      for (const p of before) app.use(p);
      const guard = expressMiddleware(verifier, { bodyLimit });
      const handler: express.RequestHandler = async (req, res) => {
        const rest = parser === 'none' ? await restOf(req) : null;
        res.json(describeOAuth(name, (req as unknown as { oauth: VerifiedRequest }).oauth, req.body, rest));
      };
      const protectedRouter = e.Router();
      protectedRouter.use(guard, ...after, handler);
      app.use('/protected', protectedRouter);
      // A router mounted in a router: req.url is '/resource' down there, req.originalUrl the whole path.
      const inner = e.Router();
      inner.use(guard, ...after, handler);
      const outer = e.Router();
      outer.use('/inner', inner);
      app.use('/mounted', outer);
      app.use(((err, _req, res, _next) => {
        const { status, text } = frameworkError(err);
        res.status(status).type('text/plain').send(text);
      }) as express.ErrorRequestHandler);
      const server = createServer(app);
      return { name, base: await listening(server), features: featuresOf(parser), close: closer(server) };
    },
  };
  if (readsFormsFirst(parser, position)) {
    setup.per = { 'reject-body-too-large': { expect: { status: 413, framework: /too large/i }, why: 'the parser before the middleware answers a body past its limit' } };
  }
  return setup;
}

const PARSERS: ExpressParser[] = ['urlencoded(extended)', 'urlencoded(flat)', 'json', 'text', 'raw', 'json+urlencoded(extended)+text'];

/** Every Express setup of one major version. */
export function expressSetups(version: 4 | 5): Setup[] {
  return [expressSetup(version, 'none', 'before'), ...PARSERS.flatMap((p) => [expressSetup(version, p, 'before'), expressSetup(version, p, 'after')])];
}
