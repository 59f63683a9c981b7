// A Bouncer webhook receiver that verifies signatures (Standard Webhooks) with node:crypto only.
// Run: WEBHOOK_SECRET=whsec_... PORT=8000 node webhook-receiver.mjs
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const key = Buffer.from(process.env.WEBHOOK_SECRET.replace(/^whsec_/, ''), 'base64');
const TOLERANCE_SECONDS = 300; // refuse replays of old deliveries

function verify(headers, body) {
  const id = headers['webhook-id'];
  const timestamp = Number(headers['webhook-timestamp']);
  if (!id || !Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > TOLERANCE_SECONDS) return false;
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  // During a secret roll there are two signatures, space-separated: one matching is enough.
  return String(headers['webhook-signature'] ?? '').split(' ').some((versioned) => {
    const [version, signature] = versioned.split(',');
    const given = Buffer.from(signature ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    if (request.method !== 'POST' || !verify(request.headers, body)) return response.writeHead(400).end();
    // The same webhook-id may arrive more than once (at-least-once delivery): deduplicate on it.
    const event = JSON.parse(body);
    console.log(JSON.stringify({ webhookId: request.headers['webhook-id'], event: event.event, session: event.id, status: event.status }));
    response.writeHead(204).end();
  });
});
server.listen(Number(process.env.PORT ?? 8000), '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
