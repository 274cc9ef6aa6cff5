/**
 * The CDR normalizer and page unwrapping the decode benchmarks share: a normalizer configured like a
 * typical installation (a default currency, two DID prefixes, outbound by default), applied to every
 * CDR of a decoded getAccountCDRs page, as the sync does for each page it reads.
 */
import { CdrNormalizer } from '../libs/sippy/src/cdr/cdr-normalizer';
import { isXmlRpcStruct, type XmlRpcValue } from '../libs/sippy/src/codec/xml-rpc.types';

export function benchNormalizer(): CdrNormalizer {
  return new CdrNormalizer({
    defaultCurrency: 'TRY',
    direction: { localNumberPrefixes: ['90212555', '90850'], default: 'outbound' },
  });
}

/** The `cdrs` array of a decoded `{ result: 'OK', cdrs: [...] }` page. */
export function cdrsOf(page: XmlRpcValue): readonly unknown[] {
  const cdrs = isXmlRpcStruct(page) ? page['cdrs'] : undefined;
  if (!Array.isArray(cdrs)) {
    throw new Error('not a getAccountCDRs page: no cdrs array');
  }
  return cdrs;
}
