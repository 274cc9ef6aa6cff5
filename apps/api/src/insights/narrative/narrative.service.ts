import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import {
  NARRATIVE_LANGS,
  type InsightKind,
  type InsightMetric,
  type InsightNarrative,
  type InsightSeverity,
  type NarrativeFacts,
  type NarrativeLang,
  type NarrativeNoteCode,
  type NarrativeSource,
} from '@velora/contracts';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import type { InsightNarrativeRow } from '../../database/database.types';
import { HOUR_MS, localDate, localDayRange, previousDay } from '../hour-of-week';
import { InsightsRepository } from '../insights.repository';
import { LlmClient, LlmError } from '../llm/llm.client';
import { builtinNarrative } from './builtin-narrative';
import { buildNarrativeFacts, NARRATIVE_INSIGHTS } from './narrative-facts';
import { narrativeMessages } from './narrative-prompt';

const NOTES: Readonly<Record<NarrativeNoteCode, { en: string; tr: string }>> = {
  llm_timeout: {
    en: 'The language model did not answer in time; this is the built-in summary.',
    tr: 'Dil modeli zamanında yanıt vermedi; bu yerleşik özettir.',
  },
  llm_error: {
    en: 'The language model could not be used; this is the built-in summary.',
    tr: 'Dil modeli kullanılamadı; bu yerleşik özettir.',
  },
  day_in_progress: {
    en: 'The day is not over yet: the language model writes its summary once the day has ended; this is the built-in summary so far.',
    tr: 'Gün henüz bitmedi: dil modeli özeti gün bittikten sonra yazar; bu, şu ana kadarki yerleşik özettir.',
  },
};

/** A stored fallback is retried by the scheduler after this long. */
const FALLBACK_RETRY_MS = HOUR_MS;

interface Generated {
  text: string;
  source: NarrativeSource;
  model: string | null;
  note: NarrativeNoteCode | null;
  facts: NarrativeFacts;
}

/**
 * The daily narrative: a summary of one local day (INSIGHTS_TIME_ZONE) written by the configured language model from
 * aggregates only, or the deterministic built-in summary. A finished day's narrative is stored once
 * (insight_narratives) so the model is asked once per day and language, not on every page view.
 */
@Injectable()
export class NarrativeService {
  private readonly logger = new Logger(NarrativeService.name);
  /** Concurrent requests for the same day and language share one generation. */
  private readonly inFlight = new Map<string, Promise<InsightNarrative>>();

  constructor(
    private readonly repository: InsightsRepository,
    private readonly llm: LlmClient,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  private get tz(): string {
    return this.config.insights.timeZone;
  }

  /** The local day before today. */
  yesterday(): string {
    return previousDay(localDate(new Date(this.clock.now()), this.tz));
  }

  /**
   * GET: the stored narrative of a finished day, else a new one (stored). Model failures give the built-in summary
   * with a note, never an error. A day in progress gets the built-in summary so far (not stored).
   */
  async narrative(date: string | undefined, lang: NarrativeLang): Promise<InsightNarrative> {
    const day = date ?? this.yesterday();
    this.#checkDate(day);
    if (!this.#finished(day)) {
      const generated = await this.#builtin(day, lang, this.llm.configured ? 'day_in_progress' : null);
      return this.#toNarrative(day, lang, generated, new Date(this.clock.now()));
    }
    const stored = await this.repository.findNarrative(day, this.tz, lang);
    if (stored !== undefined) return this.#fromRow(stored);
    return this.#once(day, lang, async () => this.#store(day, lang, await this.#generate(day, lang, false)));
  }

  /**
   * Admin: writes the narrative again (the model if configured, else the built-in summary) and stores it when the day
   * is over. Model failures are thrown (LlmError → 502/504 naming the upstream); the stored narrative stays.
   */
  async regenerate(date: string, lang: NarrativeLang): Promise<InsightNarrative> {
    this.#checkDate(date);
    const generated = await this.#generate(date, lang, true);
    if (!this.#finished(date)) return this.#toNarrative(date, lang, generated, new Date(this.clock.now()));
    return this.#store(date, lang, generated);
  }

  /**
   * Scheduled: yesterday's narrative in both languages once yesterday is over (plus INSIGHTS_SETTLE_HOURS), and again
   * an hour after a model failure left the built-in summary.
   */
  async ensureDaily(): Promise<void> {
    const day = this.yesterday();
    if (!this.#finished(day)) return;
    for (const lang of NARRATIVE_LANGS) {
      const stored = await this.repository.findNarrative(day, this.tz, lang);
      const retry =
        stored !== undefined &&
        this.llm.configured &&
        stored.source === 'builtin' &&
        stored.note !== null &&
        this.clock.now() - stored.generated_at.getTime() >= FALLBACK_RETRY_MS;
      if (stored === undefined || retry) {
        await this.#once(day, lang, async () => this.#store(day, lang, await this.#generate(day, lang, false)));
      }
    }
  }

  #checkDate(day: string): void {
    const today = localDate(new Date(this.clock.now()), this.tz);
    if (day > today) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: [`date must not be in the future (today is ${today} in ${this.tz})`],
      });
    }
  }

  /** A day is over once its last hour has settled (late CDRs of long calls are in). */
  #finished(day: string): boolean {
    const { to } = localDayRange(day, this.tz);
    return this.clock.now() >= to.getTime() + this.config.insights.settleHours * HOUR_MS;
  }

  async #once(day: string, lang: NarrativeLang, work: () => Promise<InsightNarrative>): Promise<InsightNarrative> {
    const key = `${day}|${lang}`;
    let pending = this.inFlight.get(key);
    if (pending === undefined) {
      pending = work().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  async #facts(day: string): Promise<NarrativeFacts> {
    const range = localDayRange(day, this.tz);
    const previous = localDayRange(previousDay(day), this.tz);
    const [cells, previousCells, insights] = await Promise.all([
      this.repository.cellsBetween(range.from, range.to),
      this.repository.cellsBetween(previous.from, previous.to),
      this.repository.mostSevere(range.from, range.to, NARRATIVE_INSIGHTS),
    ]);
    return buildNarrativeFacts({
      date: day,
      tz: this.tz,
      cells,
      previousCells,
      insights: insights.map((row) => ({
        kind: row.kind as InsightKind,
        severity: row.severity as InsightSeverity,
        countryCode: row.subject === '' ? null : row.subject,
        hour: row.hour,
        metric: row.metric as InsightMetric,
        observed: row.observed,
        expected: row.expected,
        currency: row.currency === '' ? null : row.currency,
      })),
    });
  }

  async #builtin(day: string, lang: NarrativeLang, note: NarrativeNoteCode | null, facts?: NarrativeFacts): Promise<Generated> {
    const f = facts ?? (await this.#facts(day));
    return { text: builtinNarrative(f, lang), source: 'builtin', model: null, note, facts: f };
  }

  async #generate(day: string, lang: NarrativeLang, strict: boolean): Promise<Generated> {
    const facts = await this.#facts(day);
    if (!this.llm.configured) return this.#builtin(day, lang, null, facts);
    try {
      const completion = await this.llm.complete(narrativeMessages(facts, lang));
      return { text: completion.text, source: 'llm', model: completion.model, note: null, facts };
    } catch (error) {
      if (strict || !(error instanceof LlmError)) throw error;
      this.logger.warn(`narrative ${day} (${lang}): ${error.message}; the built-in summary is used`);
      return this.#builtin(day, lang, error.kind === 'timeout' ? 'llm_timeout' : 'llm_error', facts);
    }
  }

  async #store(day: string, lang: NarrativeLang, generated: Generated): Promise<InsightNarrative> {
    const row = await this.repository.saveNarrative({
      day,
      timeZone: this.tz,
      lang,
      text: generated.text,
      source: generated.source,
      model: generated.model,
      note: generated.note,
      facts: generated.facts,
    });
    return this.#fromRow(row);
  }

  #fromRow(row: InsightNarrativeRow): InsightNarrative {
    return this.#toNarrative(
      row.day,
      row.lang as NarrativeLang,
      {
        text: row.text,
        source: row.source as NarrativeSource,
        model: row.model,
        note: row.note as NarrativeNoteCode | null,
        facts: row.facts as unknown as NarrativeFacts,
      },
      row.generated_at,
    );
  }

  #toNarrative(day: string, lang: NarrativeLang, g: Generated, at: Date): InsightNarrative {
    return {
      date: day,
      tz: this.tz,
      lang,
      text: g.text,
      source: g.source,
      model: g.model,
      note: g.note === null ? null : { code: g.note, ...NOTES[g.note] },
      generated_at: at.toISOString(),
      facts: g.facts,
    };
  }
}
