#!/bin/sh
# Creates a Bouncer verification session, prints the URL to send the user to, then reads the
# session back and prints its status. Needs curl and jq.
#
#   BOUNCER_URL    the Bouncer server, without a trailing slash (default: http://localhost:4000)
#   BOUNCER_TOKEN  an API token from the dashboard, with the session:create and session:read abilities
set -eu

BOUNCER_URL="${BOUNCER_URL:-http://localhost:4000}"
: "${BOUNCER_TOKEN:?Set BOUNCER_TOKEN to an API token from the dashboard.}"

# Create the session.
session=$(curl --silent --show-error --fail-with-body \
  -X POST "$BOUNCER_URL/api/v2/session" \
  -H "Authorization: Bearer $BOUNCER_TOKEN" \
  -H "Content-Type: application/json" \
  -H "Accept: application/json" \
  -d '{
    "age_target": 18,
    "redirect_url": "https://shop.example/checkout/done",
    "metadata": ["order:1234"]
  }') || { echo "Could not create the session: $session" >&2; exit 1; }

session_id=$(printf '%s' "$session" | jq -r '.data.id')
echo "verify_url: $(printf '%s' "$session" | jq -r '.data.verify_url')"

# Read it back (later, e.g. when the user returns to your redirect_url).
session=$(curl --silent --show-error --fail-with-body \
  "$BOUNCER_URL/api/v2/session/$session_id" \
  -H "Authorization: Bearer $BOUNCER_TOKEN" \
  -H "Accept: application/json") || { echo "Could not read the session: $session" >&2; exit 1; }

echo "status: $(printf '%s' "$session" | jq -r '.data.status')"
