import { Injectable } from '@nestjs/common';
import { normalizeCdr, type Cdr, type CdrNormalizerOptions, type RawCdr } from '@velora/sippy';
import { ACCOUNTS as SIMULATOR_ACCOUNTS } from '@velora/sippy/simulator';
import { AppConfig } from '../config/app-config';

/** Per-record context the sync knows and the record does not carry (Sippy CDRs have no currency field). */
export interface CdrNormalizationContext {
  /** Currency of the CDR's account (listAccounts base_currency). */
  accountCurrency?: string;
}

/** The library's CDR normalizer with this installation's rules (direction, currency) from the config. */
@Injectable()
export class CdrNormalizerService {
  private readonly options: CdrNormalizerOptions;
  /** The options with each account currency seen (a handful), so a page of CDRs does not copy them per record. */
  private readonly optionsByCurrency = new Map<string, CdrNormalizerOptions>();

  constructor(config: AppConfig) {
    const n = config.normalizer;
    // Demo mode: the simulator's DIDs are "our numbers", so its inbound calls show as inbound.
    const localNumberPrefixes =
      n.localNumberPrefixes.length === 0 && config.sippy.mode === 'simulator'
        ? SIMULATOR_ACCOUNTS.flatMap((account) => account.numbers)
        : n.localNumberPrefixes;
    this.options = {
      defaultCurrency: n.defaultCurrency,
      direction: {
        inboundAccounts: n.inboundAccounts,
        localNumberPrefixes,
        default: n.defaultDirection,
      },
    };
  }

  /** Throws CdrNormalizationError for a record without a usable id. */
  normalize(raw: RawCdr, context: CdrNormalizationContext = {}): Cdr {
    const currency = context.accountCurrency;
    if (currency) {
      let options = this.optionsByCurrency.get(currency);
      if (options === undefined) {
        options = { ...this.options, defaultCurrency: currency };
        if (this.optionsByCurrency.size >= 256) {
          this.optionsByCurrency.clear();
        }
        this.optionsByCurrency.set(currency, options);
      }
      return normalizeCdr(raw, options);
    }
    return normalizeCdr(raw, this.options);
  }
}
