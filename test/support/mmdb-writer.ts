/**
 * A minimal MaxMind DB (.mmdb) writer for tests only (no third-party GeoIP database is shipped or downloaded): an
 * IPv6 search tree with 24-bit records (IPv4 networks live at ::a.b.c.d/96+n, as in GeoLite2), a data section of
 * maps, UTF-8 strings, unsigned integers and arrays, and the metadata after the `\xAB\xCD\xEFMaxMind.com` marker.
 * Format: https://maxmind.github.io/MaxMind-DB/ (binary_format_major_version 2).
 */

export type MmdbValue = string | number | bigint | MmdbValue[] | { [key: string]: MmdbValue };

export interface MmdbNetwork {
  /** "41.58.0.0/16" or "2001:db8::/32". */
  cidr: string;
  data: MmdbValue;
}

export interface MmdbOptions {
  databaseType?: string;
  languages?: string[];
  description?: Record<string, string>;
  /** Seconds since the epoch. */
  buildEpoch?: number;
}

const METADATA_MARKER = Buffer.from([0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com', 'ascii')]);

/** 128 bits of an IPv4 (as ::a.b.c.d) or IPv6 address. */
function addressBits(address: string): number[] {
  let words: number[];
  if (address.includes(':')) {
    const [head, tail = ''] = address.split('::');
    const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((w) => parseInt(w, 16)));
    const h = parse(head);
    const t = address.includes('::') ? parse(tail) : [];
    words = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  } else {
    const octets = address.split('.').map(Number);
    words = [0, 0, 0, 0, 0, 0, (octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]];
  }
  if (words.length !== 8 || words.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffff)) throw new Error(`bad address ${address}`);
  return words.flatMap((w) => Array.from({ length: 16 }, (_, i) => (w >> (15 - i)) & 1));
}

function parseCidr(cidr: string): { bits: number[]; prefix: number } {
  const [address, len] = cidr.split('/');
  const v4 = !address.includes(':');
  const prefix = Number(len) + (v4 ? 96 : 0);
  if (!Number.isInteger(prefix) || prefix < 1 || prefix > 128) throw new Error(`bad network ${cidr}`);
  return { bits: addressBits(address), prefix };
}

// --- data section encoding ---

function control(type: number, size: number): Buffer {
  const extended = type > 7;
  const first = (extended ? 0 : type) << 5;
  let sizeBits: number;
  let sizeBytes: Buffer;
  if (size < 29) {
    sizeBits = size;
    sizeBytes = Buffer.alloc(0);
  } else if (size < 29 + 256) {
    sizeBits = 29;
    sizeBytes = Buffer.from([size - 29]);
  } else if (size < 285 + 65_536) {
    sizeBits = 30;
    sizeBytes = Buffer.alloc(2);
    sizeBytes.writeUInt16BE(size - 285);
  } else {
    sizeBits = 31;
    sizeBytes = Buffer.alloc(3);
    sizeBytes.writeUIntBE(size - 65_821, 0, 3);
  }
  return Buffer.concat([Buffer.from([first | sizeBits]), extended ? Buffer.from([type - 7]) : Buffer.alloc(0), sizeBytes]);
}

function uintBytes(value: bigint): Buffer {
  const bytes: number[] = [];
  for (let v = value; v > 0n; v >>= 8n) bytes.unshift(Number(v & 0xffn));
  return Buffer.from(bytes);
}

/** Encodes a value: strings as utf8_string (2), numbers as uint32 (6), bigints as uint64 (9), arrays (11), maps (7). */
export function encodeValue(value: MmdbValue): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([control(2, bytes.length), bytes]);
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw new Error(`not a uint32: ${String(value)}`);
    const bytes = uintBytes(BigInt(value));
    return Buffer.concat([control(value <= 0xffff ? 5 : 6, bytes.length), bytes]);
  }
  if (typeof value === 'bigint') {
    const bytes = uintBytes(value);
    return Buffer.concat([control(9, bytes.length), bytes]);
  }
  if (Array.isArray(value)) return Buffer.concat([control(11, value.length), ...value.map(encodeValue)]);
  const entries = Object.entries(value);
  return Buffer.concat([control(7, entries.length), ...entries.flatMap(([k, v]) => [encodeValue(k), encodeValue(v)])]);
}

// --- search tree ---

/** A record: another node (by index), a data value (by index into `values`) or empty. */
type TreeRecord = { node: number } | { data: number } | null;

/** Builds an .mmdb file mapping each network to its data (a later, more specific network overrides inside it). */
export function writeMmdb(networks: readonly MmdbNetwork[], options: MmdbOptions = {}): Buffer {
  const nodes: [TreeRecord, TreeRecord][] = [[null, null]];
  const values: Buffer[] = [];
  for (const network of networks) {
    const { bits, prefix } = parseCidr(network.cidr);
    const data = values.push(encodeValue(network.data)) - 1;
    let node = 0;
    for (let depth = 0; depth < prefix - 1; depth += 1) {
      const side = bits[depth];
      const record = nodes[node][side];
      if (record !== null && 'node' in record) {
        node = record.node;
        continue;
      }
      // empty, or a wider network's data: split it into a node whose both halves keep that data
      nodes.push([record, record]);
      nodes[node][side] = { node: nodes.length - 1 };
      node = nodes.length - 1;
    }
    nodes[node][bits[prefix - 1]] = { data };
  }
  const nodeCount = nodes.length;
  const offsets: number[] = [];
  let offset = 0;
  for (const v of values) {
    offsets.push(offset);
    offset += v.length;
  }
  const tree = Buffer.alloc(nodeCount * 6);
  const recordValue = (r: TreeRecord): number => (r === null ? nodeCount : 'node' in r ? r.node : nodeCount + 16 + offsets[r.data]);
  nodes.forEach(([left, right], i) => {
    tree.writeUIntBE(recordValue(left), i * 6, 3);
    tree.writeUIntBE(recordValue(right), i * 6 + 3, 3);
  });
  const metadata = encodeValue({
    node_count: nodeCount,
    record_size: 24,
    ip_version: 6,
    database_type: options.databaseType ?? 'GeoLite2-Country',
    languages: options.languages ?? ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: BigInt(options.buildEpoch ?? Date.UTC(2026, 10, 1) / 1000),
    description: options.description ?? { en: 'Velora test GeoIP database (not real data)' },
  });
  return Buffer.concat([tree, Buffer.alloc(16), ...values, METADATA_MARKER, metadata]);
}

/** { country: { iso_code, names: { en } } }, the shape of a GeoLite2-Country record. */
export function countryRecord(isoCode: string, name: string, geonameId = 1): MmdbValue {
  return { country: { geoname_id: geonameId, iso_code: isoCode, names: { en: name } } };
}
