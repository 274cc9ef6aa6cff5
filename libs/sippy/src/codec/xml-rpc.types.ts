/** A decoded XML-RPC value. `<nil/>` → null; `<base64>` → Buffer; `<dateTime.iso8601>` → Date (UTC). */
export type XmlRpcScalar = string | number | boolean | null | Date | Buffer;
export type XmlRpcValue = XmlRpcScalar | XmlRpcI8 | XmlRpcValue[] | XmlRpcStruct;
export interface XmlRpcStruct {
  [member: string]: XmlRpcValue | undefined;
}

/**
 * Serialize as `<i8>`: for ids above 2^31 (Sippy i_cdr, i_call). Holds the decimal digits as a
 * string so no precision is lost. Only used when *sending*; decoders return `<i8>` as a number when
 * it is a safe integer and as a decimal string otherwise.
 */
export class XmlRpcI8 {
  readonly digits: string;
  constructor(value: bigint | number | string) {
    const digits = String(value).trim();
    if (!/^-?\d+$/.test(digits)) {
      throw new TypeError(`XmlRpcI8: not an integer: ${digits}`);
    }
    this.digits = digits;
  }
}

export function isXmlRpcStruct(value: unknown): value is XmlRpcStruct {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !Buffer.isBuffer(value) &&
    !(value instanceof XmlRpcI8)
  );
}
