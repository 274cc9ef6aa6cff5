import { Injectable } from '@nestjs/common';
import { normalizeCdr, type Cdr, type CdrNormalizerOptions, type RawCdr } from '@velora/sippy';
import { AppConfig } from '../config/app-config';

/** The library's CDR normalizer with this installation's rules (direction, currency) from the config. */
@Injectable()
export class CdrNormalizerService {
  private readonly options: CdrNormalizerOptions;

  constructor(config: AppConfig) {
    const n = config.normalizer;
    this.options = {
      defaultCurrency: n.defaultCurrency,
      direction: {
        inboundAccounts: n.inboundAccounts,
        localNumberPrefixes: n.localNumberPrefixes,
        default: n.defaultDirection,
      },
    };
  }

  /** Throws CdrNormalizationError for a record without a usable id. */
  normalize(raw: RawCdr): Cdr {
    return normalizeCdr(raw, this.options);
  }
}
