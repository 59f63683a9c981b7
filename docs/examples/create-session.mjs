// Creates a Bouncer verification session, prints the URL to send the user to, then reads the
// session back and prints its status. Node.js 18 or later (fetch is built in); no dependencies.
//
//   BOUNCER_URL    the Bouncer server, without a trailing slash (default: http://localhost:4000)
//   BOUNCER_TOKEN  an API token from the dashboard, with the session:create and session:read abilities

const baseUrl = process.env.BOUNCER_URL || 'http://localhost:4000';
const token = process.env.BOUNCER_TOKEN;
if (!token) {
  console.error('Set BOUNCER_TOKEN to an API token from the dashboard.');
  process.exit(1);
}

const headers = {
  Authorization: `Bearer ${token}`,
  Accept: 'application/json',
};

// Create the session.
const createResponse = await fetch(`${baseUrl}/api/v2/session`, {
  method: 'POST',
  headers: { ...headers, 'Content-Type': 'application/json' },
  body: JSON.stringify({
    age_target: 18,
    redirect_url: 'https://shop.example/checkout/done',
    metadata: ['order:1234'],
  }),
});
const created = await createResponse.json();
if (!createResponse.ok) {
  console.error(`Could not create the session (${createResponse.status}):`, created);
  process.exit(1);
}
console.log(`verify_url: ${created.data.verify_url}`);

// Read it back (later, e.g. when the user returns to your redirect_url).
const readResponse = await fetch(`${baseUrl}/api/v2/session/${created.data.id}`, { headers });
const session = await readResponse.json();
if (!readResponse.ok) {
  console.error(`Could not read the session (${readResponse.status}):`, session);
  process.exit(1);
}
console.log(`status: ${session.data.status}`);
