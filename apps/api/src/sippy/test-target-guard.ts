import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Addresses never reachable through test-connection: link-local and cloud metadata services. */
const ALWAYS_BLOCKED: ReadonlyArray<readonly [string, number, 'ipv4' | 'ipv6']> = [
  ['169.254.0.0', 16, 'ipv4'], // IPv4 link-local, AWS/GCP/Azure/OpenStack metadata 169.254.169.254
  ['100.100.100.200', 32, 'ipv4'], // Alibaba Cloud metadata
  ['0.0.0.0', 8, 'ipv4'], // "this network": connects to the local host on Linux
  ['fe80::', 10, 'ipv6'], // IPv6 link-local
  ['fd00:ec2::254', 128, 'ipv6'], // AWS metadata over IPv6
  ['::', 128, 'ipv6'],
];

export type LookupAll = (host: string) => Promise<string[]>;

const systemLookup: LookupAll = async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Why a test-connection target was refused (a 400 for the caller, an audit entry). */
export class TestTargetRefusedError extends Error {
  constructor(
    message: string,
    readonly reason: 'scheme' | 'userinfo' | 'blocked_address' | 'not_allowed' | 'unresolvable',
  ) {
    super(message);
    this.name = 'TestTargetRefusedError';
  }
}

function family(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** ::ffff:a.b.c.d → a.b.c.d, so that IPv4 rules also hold for IPv4-mapped IPv6 addresses. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/**
 * SSRF guard of the targets an admin types (test-connection, the Sippy URL and Issabel host of the settings saved
 * from the Integrations page; the server connects to them):
 * - http/https only, no user:password@ in the URL;
 * - every address the host resolves to must be outside link-local/metadata ranges (always);
 * - with an allow-list (SIPPY_TEST_ALLOWED_HOSTS: host names, IPs, CIDRs) the host name must be listed, or
 *   every resolved address must be inside a listed IP/CIDR.
 * Redirects are not followed by the Sippy transport (undici), so a 3xx cannot lead elsewhere.
 * Residual risk: the transport resolves the name again (DNS rebinding between the two lookups); an
 * allow-list of IPs/CIDRs or names under your control closes it.
 */
export class TestTargetGuard {
  private readonly blocked = new BlockList();
  private readonly allowedAddresses = new BlockList();
  private readonly allowedNames = new Set<string>();
  private readonly hasAllowList: boolean;

  constructor(
    allowList: readonly string[],
    private readonly lookup: LookupAll = systemLookup,
  ) {
    for (const [net, prefix, type] of ALWAYS_BLOCKED) this.blocked.addSubnet(net, prefix, type);
    for (const raw of allowList) {
      const entry = raw.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
      const [net, ...rest] = entry.split('/');
      const prefix = rest.at(0); // undefined without a /prefix
      if (isIP(net) !== 0) {
        const type = family(net);
        this.allowedAddresses.addSubnet(net, prefix !== undefined ? Number(prefix) : type === 'ipv4' ? 32 : 128, type);
      } else if (entry.length > 0) {
        this.allowedNames.add(entry.replace(/\.$/, ''));
      }
    }
    this.hasAllowList = allowList.length > 0;
  }

  /** Throws TestTargetRefusedError when `url` may not be contacted; messages name `field` (the request's field). */
  async check(url: string, field = 'api_url'): Promise<void> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new TestTargetRefusedError(`${field} is not a valid URL`, 'scheme');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new TestTargetRefusedError(`${field} must use http or https`, 'scheme');
    }
    if (parsed.username !== '' || parsed.password !== '') {
      throw new TestTargetRefusedError(`${field} must not contain user:password@; send username and password as fields`, 'userinfo');
    }
    await this.checkHost(parsed.hostname, field);
  }

  /** The address rules alone, for targets that are a host rather than a URL (the Issabel AMI host). */
  async checkHost(hostname: string, field: string): Promise<void> {
    const host = hostname
      .toLowerCase()
      .replace(/^\[(.*)\]$/, '$1')
      .replace(/\.$/, '');
    let addresses: string[];
    if (isIP(host) !== 0) {
      addresses = [host];
    } else {
      try {
        addresses = await this.lookup(host);
      } catch {
        throw new TestTargetRefusedError(`${field} host ${host} does not resolve`, 'unresolvable');
      }
      if (addresses.length === 0) throw new TestTargetRefusedError(`${field} host ${host} does not resolve`, 'unresolvable');
    }
    for (const address of addresses.map(unmapped)) {
      if (this.blocked.check(address, family(address))) {
        throw new TestTargetRefusedError(`${field} host ${host} is a link-local or cloud-metadata address: refused`, 'blocked_address');
      }
    }
    if (!this.hasAllowList || this.allowedNames.has(host)) return;
    const allInside = addresses.map(unmapped).every((a) => this.allowedAddresses.check(a, family(a)));
    if (!allInside) {
      throw new TestTargetRefusedError(`${field} host ${host} is not in SIPPY_TEST_ALLOWED_HOSTS`, 'not_allowed');
    }
  }
}
