import { Injectable } from '@nestjs/common';
import { normalizeCdr, type Cdr, type CdrNormalizerOptions, type RawCdr } from '@velora/sippy';
import { ACCOUNTS as SIMULATOR_ACCOUNTS } from '@velora/sippy/simulator';
import { AppConfig } from '../config/app-config';

/** Per-record context the sync knows and the record does not carry (Sippy CDRs have no currency field). */
export interface CdrNormalizationContext {
  /** Currency of the CDR's account (listAccounts base_currency). */
  accountCurrency?: string;
  /** The CDR comes from the built-in simulator (default: the environment's Sippy mode). */
  simulator?: boolean;
}

/** The library's CDR normalizer with this installation's rules (direction, currency) from the config. */
@Injectable()
export class CdrNormalizerService {
  private readonly options: CdrNormalizerOptions;
  /** Demo mode: the simulator's DIDs are "our numbers", so its inbound calls show as inbound. */
  private readonly simulatorOptions: CdrNormalizerOptions;
  private readonly simulatorByDefault: boolean;
  /** The options with each account currency seen (a handful), so a page of CDRs does not copy them per record. */
  private readonly optionsByCurrency = new Map<string, CdrNormalizerOptions>();

  constructor(config: AppConfig) {
    const n = config.normalizer;
    const options = (localNumberPrefixes: string[]): CdrNormalizerOptions => ({
      defaultCurrency: n.defaultCurrency,
      direction: {
        inboundAccounts: n.inboundAccounts,
        localNumberPrefixes,
        default: n.defaultDirection,
      },
    });
    this.options = options(n.localNumberPrefixes);
    this.simulatorOptions =
      n.localNumberPrefixes.length === 0 ? options(SIMULATOR_ACCOUNTS.flatMap((account) => account.numbers)) : this.options;
    this.simulatorByDefault = config.sippy.mode === 'simulator';
  }

  /** Throws CdrNormalizationError for a record without a usable id. */
  normalize(raw: RawCdr, context: CdrNormalizationContext = {}): Cdr {
    const base = (context.simulator ?? this.simulatorByDefault) ? this.simulatorOptions : this.options;
    const currency = context.accountCurrency;
    if (currency) {
      const cacheKey = `${base === this.simulatorOptions ? 'sim' : 'live'}:${currency}`;
      let options = this.optionsByCurrency.get(cacheKey);
      if (options === undefined) {
        options = { ...base, defaultCurrency: currency };
        if (this.optionsByCurrency.size >= 256) {
          this.optionsByCurrency.clear();
        }
        this.optionsByCurrency.set(cacheKey, options);
      }
      return normalizeCdr(raw, options);
    }
    return normalizeCdr(raw, base);
  }
}
