import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { open, validate, type CountryResponse, type Reader } from 'maxmind';
import { access, constants } from 'node:fs/promises';
import { unwatchFile, watchFile, type Stats } from 'node:fs';

/** How often the GeoIP file is checked for a new version. */
const WATCH_INTERVAL_MS = 10_000;

/**
 * IP address → ISO 3166-1 alpha-2 country (the source_change rule, docs/detection.md#geoip). Injected, so the rules
 * and the tests never depend on a database file: `NullGeoIpService` when GEOIP_DATABASE_PATH is unset.
 */
export abstract class GeoIpService {
  /** True when a country database is loaded. */
  abstract readonly enabled: boolean;
  /** The country of `ip` (upper-case ISO code), or null: unknown address, private range, no database. */
  abstract country(ip: string | null): string | null;
}

/** No GeoIP database: every address is of an unknown country. */
export class NullGeoIpService extends GeoIpService {
  readonly enabled = false;
  country(_ip: string | null): string | null {
    return null;
  }
}

/** Sippy's remote_ip may carry a port ("203.0.113.5:5060") or IPv6 brackets ("[2001:db8::1]:5060"). */
export function bareIp(value: string): string {
  const v = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed !== null) return bracketed[1];
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(v);
  return v4port !== null ? v4port[1] : v;
}

/** Opens and checks a country MaxMind DB; throws an Error naming GEOIP_DATABASE_PATH. */
async function openCountryDb(path: string): Promise<Reader<CountryResponse>> {
  try {
    await access(path, constants.R_OK);
  } catch {
    throw new Error(`GEOIP_DATABASE_PATH: cannot read ${path}`);
  }
  let reader: Reader<CountryResponse>;
  try {
    reader = await open<CountryResponse>(path, { cache: { max: 10_000 } });
  } catch (error) {
    throw new Error(`GEOIP_DATABASE_PATH: ${path} is not a MaxMind DB file (${error instanceof Error ? error.message : String(error)})`, {
      cause: error,
    });
  }
  const type = reader.metadata.databaseType;
  if (!/country/i.test(type)) {
    throw new Error(
      `GEOIP_DATABASE_PATH: ${path} is a "${type}" database, not a country database (GeoLite2-Country or DB-IP IP to Country Lite)`,
    );
  }
  return reader;
}

/**
 * A MaxMind DB (GeoLite2-Country, DB-IP IP to Country Lite) read with the `maxmind` package. When the file changes
 * (polled like maxmind's own `watchForUpdates`, which would crash the process on a half-written file) the new file is
 * opened and checked the same way, then swapped in; a bad one is logged and the loaded database stays.
 */
export class MaxmindGeoIpService extends GeoIpService implements OnModuleDestroy {
  readonly enabled = true;
  private readonly logger = new Logger('GeoIpService');
  private readonly onChange = (current: Stats): void => {
    if (current.mtimeMs === 0) return; // removed: keep the loaded database until a new file appears
    this.reload().catch(() => undefined);
  };

  private constructor(
    private reader: Reader<CountryResponse>,
    private readonly path: string,
    private readonly watching: boolean,
  ) {
    super();
    if (watching) watchFile(path, { persistent: false, interval: WATCH_INTERVAL_MS }, this.onChange);
    this.logger.log(`GeoIP database ${this.describe()} (${path})`);
  }

  /**
   * Opens and checks the file: readable, a MaxMind DB, and a country database (database_type contains "Country").
   * Throws an Error naming GEOIP_DATABASE_PATH otherwise. `watch`: reload when the file is replaced.
   */
  static async open(path: string, watch = true): Promise<MaxmindGeoIpService> {
    return new MaxmindGeoIpService(await openCountryDb(path), path, watch);
  }

  get databaseType(): string {
    return this.reader.metadata.databaseType;
  }

  /** Re-reads the file now (also called when it changes); false (and a warning) when the new file is bad. */
  async reload(): Promise<boolean> {
    try {
      this.reader = await openCountryDb(this.path);
      this.logger.log(`reloaded the GeoIP database ${this.describe()}`);
      return true;
    } catch (error) {
      this.logger.warn(`kept the loaded GeoIP database: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  private describe(): string {
    return `${this.reader.metadata.databaseType} built ${this.reader.metadata.buildEpoch.toISOString().slice(0, 10)}`;
  }

  country(ip: string | null): string | null {
    if (ip === null || ip === '') return null;
    const address = bareIp(ip);
    if (!validate(address)) return null;
    const found = this.reader.get(address);
    const code = found?.country?.iso_code ?? found?.registered_country?.iso_code;
    return typeof code === 'string' && /^[A-Za-z]{2}$/.test(code) ? code.toUpperCase() : null;
  }

  onModuleDestroy(): void {
    if (this.watching) unwatchFile(this.path, this.onChange);
  }
}
