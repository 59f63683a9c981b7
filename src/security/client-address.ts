import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';

/**
 * The address a request comes from, as rate limits see it: the TCP peer, or — behind `trustProxy`
 * reverse proxies that each append the address they received from to X-Forwarded-For — the entry
 * those proxies vouch for. Entries further left were written by the client and are never trusted.
 */
export function clientAddress(request: IncomingMessage, trustProxy: number): string | null {
  const socketAddress = request.socket?.remoteAddress;
  if (!socketAddress) return null;
  let address = socketAddress;
  if (trustProxy > 0) {
    const header = request.headers['x-forwarded-for'];
    const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    const chain = [...forwarded, socketAddress];
    address = chain[Math.max(0, chain.length - 1 - trustProxy)]!;
  }
  return rateLimitKey(address);
}

/**
 * IPv4 addresses as they are (also when written as IPv4-mapped IPv6); IPv6 addresses by their /64
 * network, since one subscriber usually holds a whole /64.
 */
export function rateLimitKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address.slice(0, 64);
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
}
