import seed from './data/high-risk-prefixes.json';

/** The repository's high-risk (IRSF / premium) prefix list, `data/high-risk-prefixes.json`. */
export interface HighRiskPrefixSeed {
  version: number;
  prefixes: ReadonlyArray<{ prefix: string; label: string }>;
}

export const HIGH_RISK_PREFIX_SEED: HighRiskPrefixSeed = seed;
