import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where webhooks may be sent: no server-side request forgery. A `webhook_url` is accepted when a
 * session is created (a name may resolve differently by the time it is used); each delivery checks
 * where the name resolves then, and connects only to the address it checked, so a name that
 * resolves to a public address for the check and a private one for the connection (DNS rebinding)
 * gains nothing. Only public unicast addresses are allowed unless private networks are allowed
 * (WEBHOOK_ALLOW_PRIVATE_NETWORKS, for development and tests).
 */

export class RefusedDestinationError extends Error {
  readonly code = 'EREFUSED_DESTINATION';
}

/**
 * Whether an address is public unicast: not loopback, private (RFC 1918), unique-local, link-local
 * (which holds cloud metadata services such as 169.254.169.254), carrier-grade NAT, multicast,
 * broadcast, unspecified, documentation or otherwise reserved; IPv4-mapped and IPv4-embedding IPv6
 * forms (6to4, Teredo, NAT64, IPv4-compatible) are refused too rather than unpacked.
 */
export function isPublicAddress(text: string): boolean {
  if (!ipaddr.isValid(text)) return false;
  const address = ipaddr.process(text);
  if (address.range() !== 'unicast') return false;
  if (address.kind() === 'ipv6') {
    const parts = (address as ipaddr.IPv6).parts;
    if (parts.slice(0, 6).every((part) => part === 0)) return false; // ::a.b.c.d, IPv4-compatible (deprecated)
  }
  return true;
}

/** Why a resolved destination is refused, or null when every address it resolved to is allowed. */
function refusal(host: string, addresses: readonly string[]): RefusedDestinationError | null {
  const refused = addresses.find((address) => !isPublicAddress(address));
  return refused === undefined ? null : new RefusedDestinationError(`${host} resolves to ${refused}, which is not a public address`);
}

/**
 * A `lookup` for net/tls/http connections (and undici's `connect.lookup`) that resolves like
 * dns.lookup and fails with RefusedDestinationError when any address is not public: the
 * connection then goes only to an address that was checked.
 */
export function guardedLookup(allowPrivateNetworks: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, results: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = allowPrivateNetworks ? null : refusal(hostname, results.map((result) => result.address));
      if (refused) return callback(refused, '', 0);
      if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, results);
      const first = results[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/**
 * Checks a webhook URL before a delivery: an http(s) URL whose host, an address literal or a name
 * resolved now, is public. Literals must be checked here: connections to an address skip `lookup`.
 */
export async function checkDestination(url: string, allowPrivateNetworks: boolean): Promise<RefusedDestinationError | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return new RefusedDestinationError('not a URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return new RefusedDestinationError('not an http(s) URL');
  if (allowPrivateNetworks) return null;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (ipaddr.isValid(host)) return refusal(host, [host]);
  const lookup = guardedLookup(false);
  return new Promise((resolve) =>
    lookup(host, { all: true }, (error) => resolve(error ? (error instanceof RefusedDestinationError ? error : new RefusedDestinationError(`${host} does not resolve`)) : null)),
  );
}
