import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countryRecord, writeMmdb } from '../../../../test/support/mmdb-writer';
import { bareIp, MaxmindGeoIpService, NullGeoIpService } from './geoip.service';

// A tiny GeoLite2-Country-shaped database written by the test-only writer (no real GeoIP data in the repository).
const NETWORKS = [
  { cidr: '203.0.113.0/24', data: countryRecord('TR', 'Türkiye', 298795) },
  { cidr: '41.58.0.0/16', data: countryRecord('NG', 'Nigeria', 2328926) },
  { cidr: '41.58.200.0/24', data: countryRecord('GH', 'Ghana', 2300660) },
  { cidr: '2001:db8:42::/48', data: countryRecord('DE', 'Germany', 2921044) },
  // a record with only registered_country (as for some anycast ranges)
  { cidr: '198.51.100.0/24', data: { registered_country: { iso_code: 'us', names: { en: 'United States' } } } },
];

describe('GeoIpService', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'velora-geoip-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, content: Buffer): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  it('reads countries of IPv4 and IPv6 networks from a MaxMind DB through the maxmind package', async () => {
    const geo = await MaxmindGeoIpService.open(await file('country.mmdb', writeMmdb(NETWORKS)), false);
    try {
      expect(geo.enabled).toBe(true);
      expect(geo.databaseType).toBe('GeoLite2-Country');
      expect(geo.country('203.0.113.45')).toBe('TR');
      expect(geo.country('41.58.10.7')).toBe('NG');
      expect(geo.country('41.58.200.9')).toBe('GH'); // the more specific network inside NG's
      expect(geo.country('41.59.0.1')).toBeNull();
      expect(geo.country('2001:db8:42::1')).toBe('DE');
      expect(geo.country('[2001:db8:42::1]:5060')).toBe('DE');
      expect(geo.country('203.0.113.45:5060')).toBe('TR');
      expect(geo.country('198.51.100.20')).toBe('US');
      expect(geo.country('10.0.0.1')).toBeNull();
      expect(geo.country('not an ip')).toBeNull();
      expect(geo.country(null)).toBeNull();
    } finally {
      geo.onModuleDestroy();
    }
  });

  it('rejects a missing file, a file that is not a MaxMind DB and a database that is not a country database', async () => {
    await expect(MaxmindGeoIpService.open(join(dir, 'missing.mmdb'), false)).rejects.toThrow(/^GEOIP_DATABASE_PATH: cannot read/);
    const junk = await file('junk.mmdb', Buffer.from('this is not a database'));
    await expect(MaxmindGeoIpService.open(junk, false)).rejects.toThrow(/^GEOIP_DATABASE_PATH: .* is not a MaxMind DB file/);
    const asn = await file('asn.mmdb', writeMmdb(NETWORKS, { databaseType: 'GeoLite2-ASN' }));
    await expect(MaxmindGeoIpService.open(asn, false)).rejects.toThrow('is a "GeoLite2-ASN" database, not a country database');
  });

  it('reloads a replaced file, and keeps the loaded database when the new file is bad', async () => {
    const path = await file('reload.mmdb', writeMmdb(NETWORKS));
    const geo = await MaxmindGeoIpService.open(path, false);
    expect(geo.country('41.58.10.7')).toBe('NG');
    // next month's file: the range moved to another country
    await writeFile(path, writeMmdb([{ cidr: '41.58.0.0/16', data: countryRecord('KE', 'Kenya') }]));
    await expect(geo.reload()).resolves.toBe(true);
    expect(geo.country('41.58.10.7')).toBe('KE');
    expect(geo.country('203.0.113.45')).toBeNull();
    await writeFile(path, Buffer.from('half-written'));
    await expect(geo.reload()).resolves.toBe(false);
    expect(geo.country('41.58.10.7')).toBe('KE');
  });

  it('the null object knows no country', () => {
    const geo = new NullGeoIpService();
    expect(geo.enabled).toBe(false);
    expect(geo.country('203.0.113.45')).toBeNull();
  });

  it('strips ports and brackets from Sippy remote_ip values', () => {
    expect(bareIp(' 203.0.113.5:5060 ')).toBe('203.0.113.5');
    expect(bareIp('[2001:db8::1]:5061')).toBe('2001:db8::1');
    expect(bareIp('2001:db8::1')).toBe('2001:db8::1');
  });
});
