import { BadRequestException, Injectable } from '@nestjs/common';
import type { Cdr } from '@velora/sippy';
import { Clock } from '../common/clock';
import type { CdrListQueryDto, CdrSummaryQueryDto } from '../sippy/dto/cdr-list-query.dto';
import { CdrRepository, type CdrSummary } from './cdr.repository';

/** Reads the CDR store for the API (the switch is never called on a read). */
@Injectable()
export class CdrsService {
  constructor(
    private readonly cdrs: CdrRepository,
    private readonly clock: Clock,
  ) {}

  list(query: CdrListQueryDto): Promise<{ items: Cdr[]; total: number }> {
    const { from, to } = range(query.from, query.to);
    return this.cdrs.list({
      limit: query.limit,
      offset: query.offset,
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
    });
  }

  summary(query: CdrSummaryQueryDto): Promise<CdrSummary> {
    const now = new Date(this.clock.now());
    const startOfDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const { from, to } = range(query.from, query.to);
    return this.cdrs.summary({ from: from ?? startOfDay, to: to ?? now });
  }
}

function range(fromText?: string, toText?: string): { from?: Date; to?: Date } {
  const from = fromText ? new Date(fromText) : undefined;
  const to = toText ? new Date(toText) : undefined;
  if (from && to && from.getTime() >= to.getTime()) {
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['from must be earlier than to'] });
  }
  return { from, to };
}
