/** IP address helpers for the destination guard (pure): normalising, special-purpose ranges, CIDR lists. */
import { BlockList, isIP, isIPv4 } from 'node:net';

/** Expands an IPv6 address to its 8 hextets (numbers), or null when it is not one. */
function hextets(addr: string): number[] | null {
  if (isIP(addr) !== 6) return null;
  let s = addr.toLowerCase().split('%')[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    s = s.slice(0, -v4[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? (s.split('::') as [string, string]) : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((x) => parseInt(x, 16));
}

/**
 * One canonical form per address: IPv4 as dotted quad; IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible
 * (::a.b.c.d) IPv6 addresses as the IPv4 address they carry (so ::ffff:127.0.0.1 counts as loopback).
 */
export function normalizeAddress(addr: string): { address: string; family: 4 | 6 } | null {
  const bare = addr.startsWith('[') && addr.endsWith(']') ? addr.slice(1, -1) : addr;
  if (isIPv4(bare)) return { address: bare, family: 4 };
  const h = hextets(bare);
  if (!h) return null;
  const zeros5 = h.slice(0, 5).every((x) => x === 0);
  const embedded = zeros5 && (h[5] === 0xffff || (h[5] === 0 && (h[6]! !== 0 || h[7]! > 1)));
  if (embedded) return { address: `${h[6]! >> 8}.${h[6]! & 255}.${h[7]! >> 8}.${h[7]! & 255}`, family: 4 };
  return { address: h.map((x) => x.toString(16)).join(':'), family: 6 };
}

const SPECIAL: [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'private (shared address space)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.0.2.0', 24, 'ipv4', 'reserved (documentation)'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'reserved (benchmarking)'],
  ['198.51.100.0', 24, 'ipv4', 'reserved (documentation)'],
  ['203.0.113.0', 24, 'ipv4', 'reserved (documentation)'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['64:ff9b::', 96, 'ipv6', 'reserved (NAT64)'],
  ['2001:db8::', 32, 'ipv6', 'reserved (documentation)'],
  ['fc00::', 7, 'ipv6', 'private (unique local)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'private (site-local)'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const specialLists = SPECIAL.map(([net, prefix, type, kind]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, type);
  return { list, type, kind };
});

/** What kind of special-purpose address this is (loopback, private, link-local, ...), or null for a public one. */
export function specialKind(addr: { address: string; family: 4 | 6 }): string | null {
  const type = addr.family === 4 ? 'ipv4' : 'ipv6';
  return specialLists.find((s) => s.type === type && s.list.check(addr.address, type))?.kind ?? null;
}

/** A CIDR ("10.0.0.0/8", "fd00::/8") or a single address ("127.0.0.1", "::1", "[::1]"), or null when it is neither. */
export function parseCidr(entry: string): { address: string; family: 4 | 6; prefix: number } | null {
  const [addr, bits, extra] = entry.split('/');
  if (extra !== undefined || addr === undefined) return null;
  const a = normalizeAddress(addr);
  if (!a) return null;
  const max = a.family === 4 ? 32 : 128;
  // An IPv4-mapped CIDR (::ffff:10.0.0.0/104) is taken as its IPv4 form.
  const mappedShift = a.family === 4 && isIP(addr.replace(/^\[|\]$/g, '')) === 6 ? 96 : 0;
  if (bits === undefined) return { ...a, prefix: max };
  if (!/^\d{1,3}$/.test(bits)) return null;
  const prefix = Number(bits) - mappedShift;
  if (prefix < 0 || prefix > max) return null;
  return { ...a, prefix };
}

/** A set of CIDRs to test addresses against. */
export function cidrSet(entries: readonly { address: string; family: 4 | 6; prefix: number }[]): (addr: { address: string; family: 4 | 6 }) => boolean {
  const list = new BlockList();
  for (const e of entries) list.addSubnet(e.address, e.prefix, e.family === 4 ? 'ipv4' : 'ipv6');
  return (addr) => list.check(addr.address, addr.family === 4 ? 'ipv4' : 'ipv6');
}
