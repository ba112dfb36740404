/**
 * Where notifiers may send (the SSRF guard). A webhook URL must be http(s) without credentials; its host is
 * resolved (every address) and refused when
 *   - the DENY list matches the host name or any address (deny always wins), or
 *   - any address is special-purpose (loopback, private, link-local incl. 169.254.169.254, unspecified,
 *     multicast, reserved) and the ALLOW list matches neither the host name nor that address, or
 *   - `allow_only` is set and the ALLOW list matches neither.
 * Entries: host names ("hooks.example.com"), wildcard domains ("*.slack.com": any subdomain, not the apex),
 * addresses ("127.0.0.1", "::1") and CIDRs ("10.0.0.0/8", "fd00::/8").
 * The caller connects to the addresses vetted here (no second lookup), so DNS cannot change between check and use.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { InvalidParameterError } from '../errors.js';
import { cidrSet, normalizeAddress, parseCidr, specialKind } from './ip-ranges.js';

export interface DestinationPolicy {
  allow: string[];
  deny: string[];
  /** Only allow-listed destinations, public ones included. */
  allow_only: boolean;
}

export const EMPTY_POLICY: DestinationPolicy = { allow: [], deny: [], allow_only: false };

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

export interface VettedUrl {
  url: URL;
  host: string;
  /** The addresses checked; connect to these only. */
  addresses: { address: string; family: 4 | 6 }[];
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;
const MAX_ENTRIES = 256;

function normalizeEntry(raw: unknown, field: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new InvalidParameterError(field, `'${field}' must be a host name, *.domain, address or CIDR.`);
  const e = raw.trim().toLowerCase().replace(/\.$/, '');
  if (parseCidr(e)) return e;
  const name = e.startsWith('*.') ? e.slice(2) : e;
  if (!HOST_NAME.test(name) || isIP(name))
    throw new InvalidParameterError(field, `Invalid ${field} ${JSON.stringify(raw)}: use a host name, *.domain, an address or a CIDR such as 10.0.0.0/8.`);
  return e;
}

function entryList(raw: unknown, field: string): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new InvalidParameterError(field, `'${field}' must be a list of host names, *.domains, addresses or CIDRs.`);
  if (raw.length > MAX_ENTRIES) throw new InvalidParameterError(field, `'${field}' has more than ${MAX_ENTRIES} entries.`);
  return [...new Set(raw.map((e, i) => normalizeEntry(e, `${field}[${i}]`)))];
}

export function parsePolicy(f: Record<string, unknown>): DestinationPolicy {
  const allowOnly = f['allow_only'];
  if (allowOnly !== undefined && allowOnly !== null && typeof allowOnly !== 'boolean')
    throw new InvalidParameterError('allow_only', "'allow_only' must be true or false.");
  return { allow: entryList(f['allow'], 'allow'), deny: entryList(f['deny'], 'deny'), allow_only: allowOnly === true };
}

/** Compiled form of a list: host-name test and address test. */
function matcher(entries: readonly string[]) {
  const cidrs = entries.map(parseCidr).filter((c): c is NonNullable<typeof c> => c !== null);
  const inCidrs = cidrSet(cidrs);
  const names = entries.filter((e) => !parseCidr(e));
  return {
    host: (host: string) => names.some((n) => (n.startsWith('*.') ? host.endsWith(n.slice(1)) : host === n)),
    address: (a: { address: string; family: 4 | 6 }) => inCidrs(a),
  };
}

const refuse = (message: string) => new InvalidParameterError('url', message);

/** Parses and checks a notifier URL against the policy; every refusal is an InvalidParameterError naming 'url'. */
export async function vetUrl(raw: unknown, policy: DestinationPolicy, resolve: Resolver = systemResolver): Promise<VettedUrl> {
  if (typeof raw !== 'string' || raw === '') throw refuse("Missing value for required parameter 'url'.");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse(`'url' is not a valid URL: ${JSON.stringify(raw.slice(0, 200))}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse(`'url' must use http or https, not ${url.protocol.replace(/:$/, '')}.`);
  if (url.username || url.password) throw refuse("'url' must not contain credentials (user:password@); use the notifier's secret to authenticate.");
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (host === '') throw refuse("'url' has no host.");
  const deny = matcher(policy.deny);
  const allow = matcher(policy.allow);
  if (deny.host(host)) throw refuse(`'url' host ${host} is on the destination deny list.`);
  let found: { address: string; family: number }[];
  if (isIP(host)) found = [{ address: host, family: isIP(host) }];
  else {
    try {
      found = await resolve(host);
    } catch (err) {
      throw refuse(`'url' host ${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? 'lookup failed'}).`);
    }
    if (found.length === 0) throw refuse(`'url' host ${host} does not resolve.`);
  }
  const hostAllowed = allow.host(host);
  const addresses: VettedUrl['addresses'] = [];
  for (const f of found) {
    const a = normalizeAddress(f.address);
    if (!a) throw refuse(`'url' host ${host} resolved to an unusable address.`);
    if (deny.address(a)) throw refuse(`'url' address ${a.address} is on the destination deny list.`);
    const allowed = hostAllowed || allow.address(a);
    if (policy.allow_only && !allowed) throw refuse(`'url' host ${host} is not on the destination allow list (allow_only is set).`);
    const kind = specialKind(a);
    if (kind && !allowed) throw refuse(`'url' resolves to a ${kind} address (${a.address}); an admin must allow it (PUT /api/v1/alerts/destinations).`);
    addresses.push(a);
  }
  return { url, host, addresses };
}
