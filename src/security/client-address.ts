import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The address a request comes from: the TCP peer, or — behind `trustProxy` reverse proxies that each
 * append the address they received from to X-Forwarded-For — the entry those proxies vouch for.
 * Entries further left were written by the client and are never trusted. Normalised (no port,
 * brackets or zone; IPv4-mapped IPv6 as IPv4); an entry that is no address falls back to the peer.
 */
export function clientIp(request: IncomingMessage, trustProxy: number): string | null {
  const socketAddress = request.socket?.remoteAddress;
  if (!socketAddress) return null;
  if (trustProxy === 0) return peer(request.socket, socketAddress).ip;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = [...forwarded, socketAddress];
  const address = chain[Math.max(0, chain.length - 1 - trustProxy)]!;
  return parseAddress(address)?.toString() ?? peer(request.socket, socketAddress).ip;
}

/** A connection's normalised peer address and its rate-limit key: a keep-alive connection's requests share them. */
const peers = new WeakMap<Socket, { ip: string | null; key: string | null }>();

function peer(socket: Socket, remoteAddress: string): { ip: string | null; key: string | null } {
  let known = peers.get(socket);
  if (known === undefined) {
    const ip = parseAddress(remoteAddress)?.toString() ?? null;
    peers.set(socket, (known = { ip, key: ip === null ? null : rateLimitKey(ip) }));
  }
  return known;
}

/** The client's rate-limit key (see rateLimitKey): one per client whatever the notation. */
export function clientAddress(request: IncomingMessage, trustProxy: number): string | null {
  const socketAddress = request.socket?.remoteAddress;
  if (trustProxy === 0 && socketAddress) return peer(request.socket, socketAddress).key;
  const ip = clientIp(request, trustProxy);
  return ip === null ? null : rateLimitKey(ip);
}

/**
 * An address as proxies write it — `203.0.113.7`, `203.0.113.7:51234`, `2001:db8::1`,
 * `[2001:db8::1]:443`, `fe80::1%eth0`, IPv4-mapped IPv6 — without port, brackets or zone; IPv4-mapped
 * addresses as IPv4. Null when the text is no IP address.
 */
export function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  let host = text.trim();
  const bracketed = /^\[([^\]]*)\](?::\d{1,5})?$/.exec(host);
  if (bracketed) host = bracketed[1]!;
  else if (/^[^:]+:\d{1,5}$/.test(host)) host = host.slice(0, host.lastIndexOf(':')); // IPv4 with a port
  host = host.replace(/%.*$/, '');
  if (!ipaddr.isValid(host)) return null;
  return ipaddr.process(host);
}

/**
 * The rate-limit key of an address, one per client whatever the notation: IPv4 addresses in dotted
 * decimal; IPv6 addresses by their /64 network, since one subscriber usually holds a whole /64.
 * Null when the text is no IP address.
 */
export function rateLimitKey(text: string): string | null {
  const address = parseAddress(text);
  if (!address) return null;
  if (address.kind() === 'ipv4') return address.toString();
  const network = (address as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...network, 0, 0, 0, 0]).toString()}/64`;
}
