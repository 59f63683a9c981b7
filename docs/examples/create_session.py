"""Creates a Bouncer verification session, prints the URL to send the user to, then reads the
session back and prints its status. Needs the requests package (pip install requests).

  BOUNCER_URL    the Bouncer server, without a trailing slash (default: http://localhost:4000)
  BOUNCER_TOKEN  an API token from the dashboard, with the session:create and session:read abilities
"""
import os
import sys

import requests

BOUNCER_URL = os.environ.get("BOUNCER_URL") or "http://localhost:4000"
BOUNCER_TOKEN = os.environ.get("BOUNCER_TOKEN")
if not BOUNCER_TOKEN:
    sys.exit("Set BOUNCER_TOKEN to an API token from the dashboard.")

headers = {
    "Authorization": f"Bearer {BOUNCER_TOKEN}",
    "Accept": "application/json",
}

# Create the session.
response = requests.post(
    f"{BOUNCER_URL}/api/v2/session",
    headers=headers,
    json={
        "age_target": 18,
        "redirect_url": "https://shop.example/checkout/done",
        "metadata": ["order:1234"],
    },
    timeout=10,
)
if not response.ok:
    sys.exit(f"Could not create the session ({response.status_code}): {response.text}")
created = response.json()["data"]
print(f"verify_url: {created['verify_url']}")

# Read it back (later, e.g. when the user returns to your redirect_url).
response = requests.get(f"{BOUNCER_URL}/api/v2/session/{created['id']}", headers=headers, timeout=10)
if not response.ok:
    sys.exit(f"Could not read the session ({response.status_code}): {response.text}")
print(f"status: {response.json()['data']['status']}")
