export type CdrNormalizationErrorReason =
  | 'invalid_record' // not a plain object
  | 'missing_id'; // no usable id field and no i_call + i_customer pair

/**
 * Thrown by the CDR normalizer for a record it cannot turn into a `Cdr`. The caller skips and logs
 * the record. The message names the fields that were looked at, never their values (a CDR carries
 * phone numbers).
 */
export class CdrNormalizationError extends Error {
  readonly reason: CdrNormalizationErrorReason;
  /** Keys present in the offending record (names only), to help diagnose a source's shape. */
  readonly recordKeys: readonly string[];

  constructor(reason: CdrNormalizationErrorReason, message: string, recordKeys: readonly string[] = []) {
    super(message);
    this.name = 'CdrNormalizationError';
    this.reason = reason;
    this.recordKeys = recordKeys;
  }

  static isCdrNormalizationError(value: unknown): value is CdrNormalizationError {
    return value instanceof CdrNormalizationError;
  }
}
