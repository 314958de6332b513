// An LTI 1.1 tool: the LMS (tool consumer) launches it with a signed form
// POST; the tool shows the user a page and, when they finish, reports their
// score back to the LMS with a signed Basic Outcomes request.
//
//   PORT=3000 node lti-tool.ts      (Node ≥ 22.18; npx tsx lti-tool.ts on Node 20)
//
// Configure the LMS with the launch URL http://<host>:3000/launch and the
// consumer key and secret below.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLtiLaunchVerifier, signOutcomeRequest, type ClientRecord } from 'oauth1';
import { sendOAuthError, verifyNodeRequest } from 'oauth1/node';

// The consumers (LMSs) this tool knows: consumer key → secret. RFC 5849 calls them
// clients, hence lookupClient and clientKey (LTI's names, lookupConsumer and consumerKey, work too).
const consumers = new Map<string, ClientRecord>([['lms-key', { secret: 'lms-secret' }]]);
const launchVerifier = createLtiLaunchVerifier({ lookupClient: (key) => consumers.get(key) });

// What a launch leaves for the grade: where to send it, and with which consumer's secret.
interface Attempt {
  clientKey: string;
  outcomeUrl: string;
  sourcedId: string;
}
const attempts = new Map<string, Attempt>();

const escapeXml = (text: string): string => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

// LTI Basic Outcomes 1.1: replaceResult, a score between 0.0 and 1.0.
function replaceResultXml(sourcedId: string, score: number): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<imsx_POXEnvelopeRequest xmlns="http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0">
  <imsx_POXHeader><imsx_POXRequestHeaderInfo>
    <imsx_version>V1.0</imsx_version><imsx_messageIdentifier>${randomBytes(8).toString('hex')}</imsx_messageIdentifier>
  </imsx_POXRequestHeaderInfo></imsx_POXHeader>
  <imsx_POXBody><replaceResultRequest><resultRecord>
    <sourcedGUID><sourcedId>${escapeXml(sourcedId)}</sourcedId></sourcedGUID>
    <result><resultScore><language>en</language><textString>${score}</textString></resultScore></result>
  </resultRecord></replaceResultRequest></imsx_POXBody>
</imsx_POXEnvelopeRequest>`;
}

async function launch(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { launch: params, clientKey } = await verifyNodeRequest(launchVerifier, req);
  const attempt = randomBytes(16).toString('base64url');
  const outcomeUrl = params['lis_outcome_service_url'];
  const sourcedId = params['lis_result_sourcedid'];
  if (outcomeUrl !== undefined && sourcedId !== undefined) attempts.set(attempt, { clientKey, outcomeUrl, sourcedId });
  // An LMS-scoped user id: user_id is unique per consumer only.
  const user = `${clientKey}:${params['user_id'] ?? 'anonymous'}`;
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><p>Welcome, ${escapeXml(params['lis_person_name_full'] ?? user)}.</p>
<form method="post" action="/grade"><input type="hidden" name="attempt" value="${attempt}">
<input name="score" value="0.92"><button>Submit</button></form>`);
}

async function grade(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  const form = new URLSearchParams(text);
  const attempt = attempts.get(form.get('attempt') ?? '');
  const secret = attempt && consumers.get(attempt.clientKey)?.secret;
  const score = Number(form.get('score'));
  if (attempt === undefined || secret === undefined || !(score >= 0 && score <= 1)) {
    res.writeHead(400).end('no such attempt, or a score outside 0..1');
    return;
  }
  // Signed with the consumer's key and secret, the XML covered by oauth_body_hash.
  const signed = signOutcomeRequest({ url: attempt.outcomeUrl, consumer: { key: attempt.clientKey, secret }, xml: replaceResultXml(attempt.sourcedId, score) });
  const answer = await fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body });
  const body = await answer.text();
  const success = answer.ok && body.includes('<imsx_codeMajor>success</imsx_codeMajor>');
  res.writeHead(success ? 200 : 502, { 'Content-Type': 'text/plain' }).end(`score sent: ${answer.status} ${success ? 'success' : 'failure'}`);
}

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const handler = req.method === 'POST' && path === '/launch' ? launch : req.method === 'POST' && path === '/grade' ? grade : undefined;
  if (handler === undefined) {
    res.writeHead(404).end();
    return;
  }
  handler(req, res).catch((err: unknown) => {
    if (sendOAuthError(res, err)) return; // a launch that fails verification: 400/401
    console.error(err);
    res.writeHead(500).end();
  });
});
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
