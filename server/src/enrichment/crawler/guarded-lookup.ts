import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { AddressPolicy } from './address-policy.js';

export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

/** Raised when a host resolves to an address the policy refuses; the crawler turns it into evidence. */
export class AddressNotAllowedError extends Error {
  readonly code = 'EADDRNOTALLOWED';
  constructor(
    readonly hostname: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(`address not allowed: ${hostname} resolves to ${address} (${reason})`);
  }
}

/** Checks every resolved address; one refused address refuses the host (a resolver may rotate answers). */
export async function resolveAllowed(hostname: string, resolver: Resolver, policy: AddressPolicy): Promise<LookupAddress[]> {
  const addresses = await resolver(hostname);
  if (!addresses.length) throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
  for (const { address } of addresses) {
    const reason = policy(hostname, address);
    if (reason) throw new AddressNotAllowedError(hostname, address, reason);
  }
  return addresses;
}

/**
 * A `lookup` for the socket: the address it hands to connect() is the one that was checked, so a
 * DNS answer that changes between a check and the connection (DNS rebinding) cannot slip through.
 */
export function guardedLookup(resolver: Resolver, policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowed(hostname, resolver, policy).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (!wanted.length)
          return callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 4);
        if (options.all) return (callback as unknown as (err: null, all: LookupAddress[]) => void)(null, wanted);
        callback(null, wanted[0].address, wanted[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 4),
    );
  };
}
