/** The destination guard (SSRF): schemes, credentials, special-purpose addresses, allow/deny lists, DNS answers. */
import { describe, expect, it } from 'vitest';
import { EMPTY_POLICY, parsePolicy, type Resolver, vetUrl } from '../src/alerts/destinations.js';
import { normalizeAddress, specialKind } from '../src/alerts/ip-ranges.js';

const dns =
  (answers: Record<string, string[]>): Resolver =>
  async (host) => {
    const a = answers[host];
    if (!a) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return a.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
const resolver = dns({
  'hooks.example.com': ['93.184.215.14'],
  'evil.example.com': ['93.184.215.14', '10.1.2.3'],
  'internal.corp': ['10.0.0.7'],
  'hooks.slack.com': ['34.1.2.3'],
  'v6.example.com': ['::ffff:127.0.0.1'],
});
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: { errors?: { field: string }[]; message: string }) => `${e.errors?.[0]?.field}: ${e.message}`,
  );

describe('special-purpose addresses', () => {
  it('classifies loopback, private, link-local, unspecified, multicast and mapped forms', () => {
    const kind = (a: string) => specialKind(normalizeAddress(a)!);
    expect(kind('127.0.0.1')).toBe('loopback');
    expect(kind('::1')).toBe('loopback');
    expect(kind('::ffff:127.0.0.1')).toBe('loopback');
    expect(kind('::ffff:7f00:1')).toBe('loopback');
    expect(kind('10.0.0.1')).toBe('private');
    expect(kind('172.31.255.255')).toBe('private');
    expect(kind('192.168.1.1')).toBe('private');
    expect(kind('fd12:3456::1')).toMatch(/private/);
    expect(kind('169.254.169.254')).toMatch(/link-local/);
    expect(kind('fe80::1')).toBe('link-local');
    expect(kind('0.0.0.0')).toBe('unspecified');
    expect(kind('::')).toBe('unspecified');
    expect(kind('224.0.0.1')).toBe('multicast');
    expect(kind('ff02::1')).toBe('multicast');
    expect(kind('8.8.8.8')).toBeNull();
    expect(kind('2606:4700::1111')).toBeNull();
  });
});

describe('vetUrl', () => {
  it('accepts a public https URL and returns the addresses to connect to', async () => {
    const v = await vetUrl('https://hooks.example.com/x?y=1', EMPTY_POLICY, resolver);
    expect(v).toMatchObject({ host: 'hooks.example.com', addresses: [{ address: '93.184.215.14', family: 4 }] });
  });

  it('refuses other schemes, credentials, metadata, private, loopback and unresolvable hosts, naming url', async () => {
    for (const url of [
      'file:///etc/passwd',
      'gopher://x',
      'ftp://hooks.example.com/',
      'http://user:pass@hooks.example.com/',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'http://[::1]:8080/',
      'http://127.0.0.1/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://[fe80::1]/',
      'http://0.0.0.0/',
      'http://evil.example.com/',
      'http://v6.example.com/',
      'http://nowhere.invalid/',
      'not a url',
      '',
    ]) {
      expect(await refusal(vetUrl(url, EMPTY_POLICY, resolver)), url).toMatch(/^url: /);
    }
  });

  it('lets the allow list permit private destinations by name, address or CIDR; deny always wins', async () => {
    expect(await refusal(vetUrl('http://127.0.0.1:9000/', parsePolicy({ allow: ['127.0.0.1'] }), resolver))).toBe('accepted');
    expect(await refusal(vetUrl('http://internal.corp/', parsePolicy({ allow: ['internal.corp'] }), resolver))).toBe('accepted');
    expect(await refusal(vetUrl('http://internal.corp/', parsePolicy({ allow: ['10.0.0.0/8'] }), resolver))).toBe('accepted');
    expect(await refusal(vetUrl('http://[::1]/', parsePolicy({ allow: ['127.0.0.1'] }), resolver))).toMatch(/loopback/);
    expect(await refusal(vetUrl('http://internal.corp/', parsePolicy({ allow: ['10.0.0.0/8'], deny: ['internal.corp'] }), resolver))).toMatch(/deny list/);
    expect(await refusal(vetUrl('https://hooks.example.com/', parsePolicy({ deny: ['93.184.0.0/16'] }), resolver))).toMatch(/deny list/);
  });

  it('supports wildcard domains and allow_only', async () => {
    const p = parsePolicy({ allow: ['*.slack.com'], allow_only: true });
    expect(await refusal(vetUrl('https://hooks.slack.com/services/x', p, resolver))).toBe('accepted');
    expect(await refusal(vetUrl('https://hooks.example.com/', p, resolver))).toMatch(/allow list/);
    expect(await refusal(vetUrl('https://hooks.slack.com/', parsePolicy({ deny: ['*.slack.com'] }), resolver))).toMatch(/deny list/);
  });

  it('validates list entries, naming the entry', () => {
    expect(parsePolicy({ allow: ['Hooks.Example.com.', '10.0.0.0/8', '[::1]', '*.slack.com'] }).allow).toEqual([
      'hooks.example.com',
      '10.0.0.0/8',
      '[::1]',
      '*.slack.com',
    ]);
    for (const [f, field] of [
      [{ allow: ['10.0.0.0/33'] }, 'allow[0]'],
      [{ deny: ['ok.com', 'http://x'] }, 'deny[1]'],
      [{ allow: 'x' }, 'allow'],
      [{ allow_only: 'yes' }, 'allow_only'],
    ] as const) {
      expect(() => parsePolicy(f)).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field })] }));
    }
  });
});
