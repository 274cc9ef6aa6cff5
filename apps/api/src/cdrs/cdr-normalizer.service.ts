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
    if (context.accountCurrency) {
      return normalizeCdr(raw, { ...this.options, defaultCurrency: context.accountCurrency });
    }
    return normalizeCdr(raw, this.options);
  }
}
