import ipaddr from 'ipaddr.js';

/** An API token's allowlist (DESIGN.md "Token lifecycle": `allowedIps`). */

/** Enough for any office, VPN and cloud egress list; keeps the token row and every check small. */
export const MAX_ALLOWED_IPS = 50;

export type AllowedIpsProblem = { message: string };

/**
 * Normalises an allowlist as typed by people: `203.0.113.7` (one address, /32), `203.0.113.0/24`,
 * `2001:db8::/32`, `2001:db8::1` (/128); host bits are cleared (`10.0.0.7/24` is `10.0.0.0/24`),
 * duplicates dropped. An empty list, more than MAX_ALLOWED_IPS entries or anything that is no
 * IPv4/IPv6 address or CIDR is a problem, described for the person who typed it.
 */
export function parseAllowedIps(entries: readonly string[]): string[] | AllowedIpsProblem {
  if (entries.length === 0) {
    return { message: 'allowedIps must not be empty; send null to allow every address.' };
  }
  if (entries.length > MAX_ALLOWED_IPS) {
    return { message: `allowedIps may hold at most ${MAX_ALLOWED_IPS} entries.` };
  }
  const normalised = new Set<string>();
  for (const entry of entries) {
    const cidr = parseCidr(entry.trim());
    if (!cidr) {
      return { message: `allowedIps: ${JSON.stringify(entry.slice(0, 60))} is not an IPv4 or IPv6 address or CIDR range.` };
    }
    normalised.add(cidr);
  }
  return [...normalised];
}

/** Strict notation only: four-part decimal IPv4 (ipaddr.js alone would take `10.1` or hex), plain IPv6. */
function parseStrictAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (text.includes(':') && !text.includes('%') && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return null;
}

function parseCidr(text: string): string | null {
  const match = /^([^/]{1,45})(?:\/([0-9]{1,3}))?$/.exec(text);
  const parsed = match && parseStrictAddress(match[1]!);
  if (!parsed) return null;
  let address: ipaddr.IPv4 | ipaddr.IPv6 = parsed;
  let bits = match[2] === undefined ? (address.kind() === 'ipv4' ? 32 : 128) : Number(match[2]);
  // An IPv4-mapped range (::ffff:10.0.0.0/104) is the IPv4 range it maps: clients are compared as IPv4.
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    if (bits < 96) return null;
    address = (address as ipaddr.IPv6).toIPv4Address();
    bits -= 96;
  }
  if (bits > (address.kind() === 'ipv4' ? 32 : 128)) return null;
  const network =
    address.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`);
  return `${network.toString()}/${bits}`;
}
