import { BadRequestException, Injectable } from '@nestjs/common';
import type { Cdr } from '@velora/sippy';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import type { CdrListQueryDto, CdrSummaryQueryDto } from '../sippy/dto/cdr-list-query.dto';
import { CdrRepository, type CdrCursor, type CdrDetailRow, type CdrListFilter, type CdrSummary, type ExactNumberFilter } from './cdr.repository';

/** A list page as the API sends it: rows, total (capped when not exact) and the opaque next cursor. */
export interface CdrListResult {
  items: Cdr[];
  total: number;
  total_exact: boolean;
  next_cursor: string | null;
}

/** Reads the CDR store for the API (the switch is never called on a read). */
@Injectable()
export class CdrsService {
  constructor(
    private readonly cdrs: CdrRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** `numbers`: a masked user's caller/callee filter, matched exactly (docs/security.md#privacy). */
  async list(query: CdrListQueryDto, numbers: ExactNumberFilter = {}): Promise<CdrListResult> {
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (cursor !== undefined && query.offset > 0) {
      throw badRequest('cursor and offset cannot be combined: use cursor alone');
    }
    const page = await this.cdrs.list({
      ...listFilter(query),
      cursor,
      countCap: this.config.cdrCountCap,
      limit: query.limit,
      offset: query.offset,
      ...numbers,
    });
    return {
      items: page.items,
      total: page.total,
      total_exact: page.total_exact,
      next_cursor: page.next_cursor === null ? null : encodeCursor(page.next_cursor),
    };
  }

  /** One CDR with its PDD, source, stored times and raw record; null for an unknown id. */
  detail(id: string): Promise<CdrDetailRow | null> {
    return this.cdrs.findDetail(id);
  }

  summary(query: CdrSummaryQueryDto): Promise<CdrSummary> {
    const now = new Date(this.clock.now());
    const startOfDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const { from, to } = range(query.from, query.to);
    return this.cdrs.summary({ from: from ?? startOfDay, to: to ?? now });
  }
}

/** The filters of the list query (trimmed, blanks dropped; 400 when `from` is not before `to`), shared by the list and the export. */
export function listFilter(query: CdrFilterQuery): CdrListFilter {
  const { from, to } = range(query.from, query.to);
  return {
    from,
    to,
    caller: query.caller?.trim() || undefined,
    callee: query.callee?.trim() || undefined,
    status: query.status,
    direction: query.direction,
    country: query.country?.trim() || undefined,
    min_duration: query.min_duration,
    city: query.city?.trim() || undefined,
    account: query.account?.trim() || undefined,
    trunk: query.trunk?.trim() || undefined,
    result: query.result,
    answered: query.answered,
  };
}

/** The list query without paging: what the list and its export filter on. */
export type CdrFilterQuery = Omit<CdrListQueryDto, 'limit' | 'offset' | 'cursor'>;

/** Opaque cursor: base64url of `[start_time ISO | null, id]`. */
export function encodeCursor(cursor: CdrCursor): string {
  return Buffer.from(JSON.stringify([cursor.start_time?.toISOString() ?? null, cursor.id]), 'utf8').toString('base64url');
}

/** @throws BadRequestException naming `cursor` for anything {@link encodeCursor} did not make. */
export function decodeCursor(text: string): CdrCursor {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,400}$/.test(text)) {
      throw new Error('shape');
    }
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('cursor must be the X-Next-Cursor value of a previous page');
  }
  if (Array.isArray(parsed) && parsed.length === 2) {
    const time: unknown = parsed[0];
    const id: unknown = parsed[1];
    const start = typeof time === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(time) ? new Date(time) : null;
    const validTime = time === null || (start !== null && !Number.isNaN(start.getTime()));
    if (validTime && typeof id === 'string' && id !== '' && id.length <= 200) {
      return { start_time: start, id };
    }
  }
  throw badRequest('cursor must be the X-Next-Cursor value of a previous page');
}

function badRequest(message: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [message] });
}

function range(fromText?: string, toText?: string): { from?: Date; to?: Date } {
  const from = fromText ? new Date(fromText) : undefined;
  const to = toText ? new Date(toText) : undefined;
  if (from && to && from.getTime() >= to.getTime()) {
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['from must be earlier than to'] });
  }
  return { from, to };
}
