import { isIP } from 'node:net';

/**
 * Why an address must not be crawled, or null when it is a public unicast address. The crawler
 * visits addresses that strangers typed into listings, so without this check a lead whose website
 * is http://127.0.0.1:5432 or a cloud metadata address would make our server probe its own network.
 */
export function refusedAddressReason(address: string): string | null {
  const family = isIP(address);
  if (family === 4) return refusedIpv4(ipv4ToNumber(address));
  if (family === 6) return refusedIpv6(address);
  return 'not an IP address';
}

const ipv4Ranges: [cidr: string, reason: string][] = [
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared (carrier-grade NAT)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
];

const ipv4Blocks = ipv4Ranges.map(([cidr, reason]) => {
  const [base, bits] = cidr.split('/');
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return { network: (ipv4ToNumber(base) & mask) >>> 0, mask, reason };
});

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((n, part) => ((n << 8) | Number(part)) >>> 0, 0);
}

function refusedIpv4(n: number): string | null {
  const block = ipv4Blocks.find((b) => (n & b.mask) >>> 0 === b.network);
  return block ? block.reason : null;
}

/** The eight 16-bit groups of an IPv6 address (handles `::` and a dotted IPv4 tail). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().split('%')[0];
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const n = ipv4ToNumber(dotted[1]);
    text = text.slice(0, -dotted[1].length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => parseInt(g, 16));
}

function refusedIpv6(address: string): string | null {
  const g = ipv6Groups(address);
  const embeddedV4 = () => ((g[6] << 16) | g[7]) >>> 0;
  if (g.every((x) => x === 0)) return 'unspecified';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible) and 64:ff9b::a.b.c.d (NAT64) reach the IPv4 address inside.
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return refusedIpv4(embeddedV4());
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return refusedIpv4(embeddedV4());
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'NAT64 local use';
  // 6to4 carries an IPv4 address in groups 1–2.
  if (g[0] === 0x2002) return refusedIpv4(((g[1] << 16) | g[2]) >>> 0);
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0] & 0xffc0) === 0xfec0) return 'site-local';
  if ((g[0] & 0xfe00) === 0xfc00) return 'private (unique local)';
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'documentation';
  return null;
}

/**
 * Decides whether the crawler may connect to `address` for `hostname`: the reason it may not, or
 * null. Tests inject a policy that lets one named test host through while everything else keeps
 * the production rule.
 */
export type AddressPolicy = (hostname: string, address: string) => string | null;

export const publicAddressesOnly: AddressPolicy = (_hostname, address) => refusedAddressReason(address);
export const anyAddress: AddressPolicy = () => null;
