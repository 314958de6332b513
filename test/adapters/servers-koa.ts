/**
 * Koa 2 and 3 setups: no body parser, or koa-bodyparser or @koa/bodyparser
 * (JSON, form, text and XML enabled) mounted before or after the OAuth
 * middleware.
 */
import { createServer } from 'node:http';
import Koa from 'koa';
import Koa3 from 'koa3';
import koaBodyparser from 'koa-bodyparser';
import { bodyParser as koaOrgBodyparser } from '@koa/bodyparser';
import type { VerifiedRequest } from '../../src/server/verifier/index.js';
import { koaMiddleware } from '../../src/adapters/koa.js';
import { closer, describeOAuth, frameworkError, listening, restOf, type Features, type Setup } from './servers.js';

export type KoaParser = 'none' | 'koa-bodyparser' | '@koa/bodyparser';

function parserOf(parser: KoaParser, limit: number): Koa.Middleware | undefined {
  const size = `${limit}b`;
  const limits = { jsonLimit: size, formLimit: size, textLimit: size, xmlLimit: size };
  if (parser === 'koa-bodyparser') return koaBodyparser({ enableTypes: ['json', 'form', 'text', 'xml'], ...limits }) as unknown as Koa.Middleware;
  if (parser === '@koa/bodyparser') return koaOrgBodyparser({ enableTypes: ['json', 'form', 'text', 'xml'], ...limits }) as unknown as Koa.Middleware;
  return undefined;
}

export function koaSetup(version: 2 | 3, parser: KoaParser, position: 'before' | 'after'): Setup {
  const name = parser === 'none' ? `koa${version} none` : `koa${version} ${parser} ${position}`;
  const setup: Setup = {
    name,
    framework: 'koa',
    version: String(version),
    parsers: parser,
    position: parser === 'none' ? 'n/a' : position,
    async start(verifier, { bodyLimit }) {
      const app = new ((version === 3 ? Koa3 : Koa) as typeof Koa)();
      app.silent = true;
      app.use(async (ctx, next) => {
        try {
          await next();
        } catch (err) {
          const { status, text } = frameworkError(err);
          ctx.status = status;
          ctx.type = 'text/plain';
          ctx.body = text;
        }
      });
      const body = parserOf(parser, bodyLimit);
      if (body && position === 'before') app.use(body);
      const guard = koaMiddleware(verifier, { bodyLimit });
      const after = body && position === 'after' ? body : async (_ctx: Koa.Context, next: Koa.Next) => next();
      const handler = async (ctx: Koa.Context): Promise<void> => {
        const rest = parser === 'none' ? await restOf(ctx.req) : null;
        ctx.body = describeOAuth(name, ctx.state['oauth'] as VerifiedRequest, (ctx.request as { body?: unknown }).body, rest);
      };
      const protect = (ctx: Koa.Context) => guard(ctx, () => after(ctx, () => handler(ctx)));
      app.use(async (ctx, next) => {
        if (ctx.path.startsWith('/mounted/inner/')) {
          // What koa-mount does: the mounted app sees a shorter path; ctx.originalUrl keeps the whole one.
          const whole = ctx.path;
          ctx.path = whole.slice('/mounted/inner'.length);
          try {
            await protect(ctx);
          } finally {
            ctx.path = whole;
          }
        } else if (ctx.path.startsWith('/protected/')) await protect(ctx);
        else await next();
      });
      const server = createServer(app.callback());
      const features: Features = parser === 'none'
        ? { parses: [], formShape: null, rest: true, mount: true }
        : { parses: ['form', 'json', 'text', 'xml'], formShape: 'nested', rest: false, mount: true };
      return { name, base: await listening(server), features, close: closer(server) };
    },
  };
  if (parser !== 'none' && position === 'before') {
    setup.per = { 'reject-body-too-large': { expect: { status: 413, framework: /too large/i }, why: 'the parser before the middleware answers a body past its limit' } };
  }
  return setup;
}

/** Every Koa setup of one major version. */
export function koaSetups(version: 2 | 3): Setup[] {
  return [koaSetup(version, 'none', 'before'), ...(['koa-bodyparser', '@koa/bodyparser'] as const).flatMap((p) => [koaSetup(version, p, 'before'), koaSetup(version, p, 'after')])];
}
