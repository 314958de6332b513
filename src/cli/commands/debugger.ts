/**
 * `oauth1 debugger`: serves the signature debugger page on loopback. The page
 * does everything in the browser; this server only hands out its three
 * files, to this machine only.
 * @module
 * @internal
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { UsageError, str, type Values } from '../args.js';

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/debugger.js': { file: 'debugger.js', type: 'text/javascript; charset=utf-8' },
  '/debugger.css': { file: 'debugger.css', type: 'text/css; charset=utf-8' },
};

const HEADERS = {
  // The page's own policy, plus what only a header can say (no framing).
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** The built page: dist/debugger beside dist/cli (or, run from the sources, the last build). */
function assetsDir(): URL {
  for (const candidate of ['../debugger/', '../../debugger/', '../../../dist/debugger/']) {
    const dir = new URL(candidate, import.meta.url);
    if (existsSync(new URL('index.html', dir))) return dir;
  }
  throw new Error('the debugger page is not built (npm run build writes dist/debugger)');
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^[0-9]+$/.test(value) || port > 65535) throw new UsageError(`--port expects a port number (0-65535), got "${value}"`, 'debugger');
  return port;
}

/** Answers one request: GET or HEAD of the page's files, addressed to this loopback server by name. */
function answer(req: IncomingMessage, res: ServerResponse, files: Map<string, Buffer>, hosts: Set<string>): void {
  // A page on another site could make a browser call a loopback port through a
  // name it resolves to 127.0.0.1 (DNS rebinding): only our own names are served.
  if (!hosts.has((req.headers.host ?? '').toLowerCase())) {
    res.writeHead(421, { 'Content-Type': 'text/plain' }).end('misdirected request\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
    return;
  }
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const entry = FILES[path];
  const body = entry === undefined ? undefined : files.get(entry.file);
  if (entry === undefined || body === undefined) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    return;
  }
  res.writeHead(200, { ...HEADERS, 'Content-Type': entry.type, 'Content-Length': body.byteLength });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Serves the page on 127.0.0.1 until interrupted; resolves with the exit code. */
export async function runDebugger(values: Values): Promise<number> {
  const port = parsePort(str(values, 'port'));
  const dir = assetsDir();
  const files = new Map([...new Set(Object.values(FILES).map((f) => f.file))].map((f) => [f, readFileSync(new URL(f, dir))]));
  const hosts = new Set<string>();
  const server = createServer((req, res) => answer(req, res, files, hosts));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as { port: number }).port;
  for (const name of ['127.0.0.1', 'localhost']) hosts.add(`${name}:${bound}`);
  process.stdout.write(
    `The OAuth 1.0 signature debugger is at http://127.0.0.1:${bound}/\n` +
      'It runs in your browser: nothing you type there is sent anywhere, this server only serves the page.\n' +
      'Press Ctrl-C to stop.\n',
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
