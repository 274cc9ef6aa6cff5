import type { Insight, InsightNarrative, NotificationItem } from '@velora/contracts';
import { firstValueFrom, toArray, take, timeout } from 'rxjs';
import { CdrRepository } from '../../apps/api/src/cdrs/cdr.repository';
import { InsightEventsPublisher } from '../../apps/api/src/insights/insight-events.publisher';
import { INSIGHTS_STATE_KEY, InsightsService } from '../../apps/api/src/insights/insights.service';
import { SyncStateRepository } from '../../apps/api/src/sync/sync-state.repository';
import { FakeClock } from '../support/fake-clock';
import { FakeLlmServer } from '../support/fake-llm-server';
import { insightsDataset } from '../support/insights-dataset';
import { startTestApp, type TestApp } from '../support/test-app';
import { describeEachDatabase } from '../support/test-database';

/**
 * Insights from CDRs inserted through the repository (so the hourly rollup is maintained), read back through the
 * API; the daily narrative with and without a (fake, local) language model, and proof that no phone number reaches
 * the model. The target hour is Tuesday 2026-11-24 10:00Z = 13:00 in Istanbul.
 */
const TARGET = new Date('2026-11-24T10:00:00Z');
const HOUR = 3_600_000;
const DATASET = insightsDataset(TARGET);
const INSIGHTS_ENV = {
  SIPPY_SIMULATOR: 'off',
  SIPPY_SYNC_ENABLED: 'false',
  INSIGHTS_ENABLED: 'false', // the tests run the analysis themselves (runNow)
  INSIGHTS_MIN_CALLS: '10',
};

interface InsightListBody {
  from: string;
  to: string;
  tz: string;
  history: { since: string | null; weeks: number; required_weeks: number };
  items: Insight[];
}

const key = (i: Insight): string =>
  `${i.kind}:${i.subject.country_code ?? 'all'}${i.currency === null ? '' : `:${i.currency}`}:${i.severity}`;

describeEachDatabase('Insights API', ({ getUrl }) => {
  let api: TestApp;
  const clock = new FakeClock(Date.parse('2026-11-24T11:30:00Z'));

  beforeAll(async () => {
    api = await startTestApp({ DATABASE_URL: getUrl(), ...INSIGHTS_ENV }, { clock });
    await api.app.get(CdrRepository).upsertMany(DATASET.rows);
  });

  afterAll(async () => {
    await api.close();
  });

  const range = { from: '2026-11-24T00:00:00Z', to: '2026-11-25T00:00:00Z' };

  async function list(query: Record<string, string> = range): Promise<InsightListBody> {
    return (await api.http().get('/api/insights').query(query).expect(200)).body as InsightListBody;
  }

  it('finds the spike, the ASR drop, the cost jump and the new destination (and what they do to the whole traffic), and pushes each once', async () => {
    const service = api.app.get(InsightsService);
    const pushed = firstValueFrom(service.insights$.pipe(take(8), toArray(), timeout(10_000)));
    const run = await service.runNow();
    // the first run looks back INSIGHTS_BACKFILL_HOURS (24) from the last complete hour
    expect(run).toMatchObject({ from: '2026-11-23T11:00:00.000Z', to: '2026-11-24T11:00:00.000Z', hours: 24, created: 8 });

    const body = await list();
    expect(body.tz).toBe('Europe/Istanbul');
    expect(body.history).toEqual({ since: '2026-10-13T10:00:00.000Z', weeks: 6, required_weeks: 3 });
    expect(body.items.map(key).sort()).toEqual(
      [
        'traffic_spike:DE:critical', // 60 calls instead of 10
        'asr_drop:FR:critical', // 10 % instead of 80 %
        'cost_jump:GB:GBP:critical', // 20 GBP instead of 2
        'new_destination:NG:warning', // 12 calls, none in the 28 days before
        // the whole traffic: 143 calls instead of 80, ASR 48 % instead of 67.5 %, 20 GBP instead of 2, USD for the first time
        'traffic_spike:all:warning',
        'asr_drop:all:warning',
        'cost_jump:all:GBP:critical',
        'cost_jump:all:USD:critical',
      ].sort(),
    );
    // TR (21 calls as usual 20, ASR 57 % as usual 60 %) raised nothing
    expect(body.items.some((i) => i.subject.country_code === 'TR')).toBe(false);
    expect((await pushed).map((i) => i.id).sort()).toEqual(body.items.map((i) => i.id).sort());

    const de = body.items.find((i) => key(i) === 'traffic_spike:DE:critical');
    expect(de).toMatchObject({
      metric: 'calls',
      observed: 60,
      expected: 10,
      band: { low: 0, high: 22.65 },
      score: 15.8,
      hour: { from: '2026-11-24T10:00:00.000Z', to: '2026-11-24T11:00:00.000Z', local: '2026-11-24T13:00', tz: 'Europe/Istanbul' },
      evidence: { calls: 60, answered: 36, history: [null, null, 10, 10, 10, 10, 10, 10], history_weeks: 6 },
      filter: { from: '2026-11-24T10:00:00.000Z', to: '2026-11-24T11:00:00.000Z', country: 'DE' },
      message: {
        en: 'Traffic spike to Germany (DE) at Tue 24 Nov, 13:00: 60 calls, usually 10 (normal up to 23).',
        tr: 'Almanya (DE) yönünde trafik artışı, 24 Kas Sal 13:00: 60 çağrı, olağan 10 (normal üst sınır 23).',
      },
    });
    expect(body.items.find((i) => i.kind === 'new_destination')?.evidence.quiet_days).toBe(28);

    // each new warning/critical insight of a recent hour is a notification (the bell, toasts, outbound channels)
    await api.app.get(InsightEventsPublisher).settled();
    const page = (await api.http().get('/api/notifications').query({ limit: 50 }).expect(200)).body as { items: NotificationItem[] };
    const insightItems = page.items.filter((n): n is Extract<NotificationItem, { type: 'insight' }> => n.type === 'insight');
    expect(insightItems.map((n) => n.data.id).sort()).toEqual(body.items.map((i) => i.id).sort());
    const deEvent = insightItems.find((n) => n.data.id === de?.id);
    expect(deEvent).toMatchObject({
      level: 'crit',
      data: { kind: 'traffic_spike', severity: 'critical', country_code: 'DE', hour: '2026-11-24T10:00:00.000Z', message_tr: de?.message.tr, filter: de?.filter },
    });
    // aggregates only: no phone number of the dataset in any insight event
    const text = JSON.stringify(insightItems);
    expect(DATASET.numbers.filter((n) => text.includes(n))).toEqual([]);
  });

  it('links each insight to exactly its calls in the CDR list', async () => {
    for (const insight of (await list()).items) {
      const res = await api
        .http()
        .get('/api/sippy/cdrs')
        .query({ ...insight.filter, limit: 1 })
        .expect(200);
      expect([key(insight), Number(res.headers['x-total-count'])]).toEqual([key(insight), insight.evidence.calls]);
    }
  });

  it('is incremental, deduplicated and restart-safe; late CDRs update the evidence without a second notification', async () => {
    const service = api.app.get(InsightsService);
    const pushed: Insight[] = [];
    const subscription = service.insights$.subscribe((i) => pushed.push(i));
    try {
      // again at once: only the last INSIGHTS_SETTLE_HOURS (2) are analysed, nothing new
      expect(await service.runNow()).toMatchObject({
        from: '2026-11-24T09:00:00.000Z',
        to: '2026-11-24T11:00:00.000Z',
        hours: 2,
        findings: 8,
        created: 0,
      });
      // the cursor is lost (as after a crash before it was saved): the whole backfill again, still nothing twice
      await api.app.get(SyncStateRepository).save(INSIGHTS_STATE_KEY, { analyzed_until: 'garbage' });
      expect(await service.runNow()).toMatchObject({ hours: 24, findings: 8, created: 0 });
      expect((await list()).items).toHaveLength(8);

      // ten late calls to Germany in the same hour (a long call ends late): the insight follows
      const before = (await list()).items.find((i) => key(i) === 'traffic_spike:DE:critical');
      await api.app.get(CdrRepository).upsertMany(
        insightsDataset(TARGET, { idPrefix: 'late' })
          .rows.filter((r) => r.cdr.country_code === 'DE')
          .slice(-10),
      );
      clock.advance(15 * 60_000);
      expect(await service.runNow()).toMatchObject({ hours: 2, created: 0 });
      const after = (await list()).items.find((i) => key(i) === 'traffic_spike:DE:critical');
      expect(after?.id).toBe(before?.id);
      expect(after?.evidence.calls).toBe(70);
      expect(after?.observed).toBe(70);

      // an hour later the new hour is analysed, with the settle window before it
      clock.advance(HOUR);
      expect(await service.runNow()).toMatchObject({
        from: '2026-11-24T09:00:00.000Z',
        to: '2026-11-24T12:00:00.000Z',
        hours: 3,
        created: 0,
      });
      expect(pushed).toEqual([]);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('filters by severity (lowest included) and kind; the default range is the 24 hours before now', async () => {
    expect((await list({ ...range, severity: 'critical' })).items.map(key).every((k) => k.endsWith(':critical'))).toBe(true);
    // after the late calls the whole traffic (153 instead of 80) is critical too
    expect((await list({ ...range, severity: 'critical' })).items).toHaveLength(6);
    expect((await list({ ...range, severity: 'warning' })).items).toHaveLength(8);
    expect((await list({ ...range, kind: 'asr_drop' })).items.map(key).sort()).toEqual(['asr_drop:FR:critical', 'asr_drop:all:warning']);
    const latest = (await api.http().get('/api/insights').expect(200)).body as InsightListBody;
    expect(latest.to).toBe(new Date(clock.now()).toISOString());
    expect(Date.parse(latest.to) - Date.parse(latest.from)).toBe(24 * HOUR);
    expect(latest.items).toHaveLength(8);
    expect((await list({ from: '2026-11-24T11:00:00Z', to: '2026-11-24T12:00:00Z' })).items).toEqual([]);
    // agents read insights too
    expect((await api.as('agent').get('/api/insights').query(range).expect(200)).body).toMatchObject({ tz: 'Europe/Istanbul' });
  });

  it('answers bad input with a 400 naming the parameter, and 401 without a session', async () => {
    const bad = async (query: Record<string, string>, name: string): Promise<void> => {
      const res = await api.http().get('/api/insights').query(query).expect(400);
      expect([name, JSON.stringify(res.body)]).toEqual([name, expect.stringContaining(name)]);
    };
    await bad({ severity: 'urgent' }, 'severity');
    await bad({ kind: 'fraud' }, 'kind');
    await bad({ from: 'yesterday' }, 'from');
    await bad({ from: '2026-11-25T00:00:00Z', to: '2026-11-24T00:00:00Z' }, 'to must be later than from');
    await bad({ from: '2026-01-01T00:00:00Z', to: '2026-11-24T00:00:00Z' }, 'to: the range');
    await bad({ limit: '0' }, 'limit');
    await bad({ country: 'DE' }, 'country');
    await api.anonymous().get('/api/insights').expect(401);
    await api.anonymous().get('/api/insights/narrative').expect(401);
  });

  describe('the daily narrative without a language model', () => {
    it('gives the built-in summary of the day so far (not stored) while the day is in progress', async () => {
      const res = await api.http().get('/api/insights/narrative').query({ date: '2026-11-24', lang: 'en' }).expect(200);
      const n = res.body as InsightNarrative;
      expect(n).toMatchObject({ date: '2026-11-24', tz: 'Europe/Istanbul', lang: 'en', source: 'builtin', model: null, note: null });
      expect(n.facts.day).toMatchObject({ calls: 153, answered: 69 });
      expect(n.facts.previous_day).toMatchObject({ calls: 40, answered: 30, cost: [{ currency: 'TRY', amount: 20 }] });
      expect(n.facts.top_destinations[0]).toEqual({ country_code: 'DE', calls: 70, answered: 36, asr: 51.43 });
    });

    it('writes a finished day once, in Turkish and English, the same text every time', async () => {
      clock.set(Date.parse('2026-11-25T06:00:00Z')); // 09:00 in Istanbul: the 24th is over (and settled)
      const en = (await api.http().get('/api/insights/narrative').query({ lang: 'en' }).expect(200)).body as InsightNarrative;
      expect(en).toMatchObject({ date: '2026-11-24', lang: 'en', source: 'builtin', note: null });
      expect(en.text).toContain('Tuesday, 24 November 2026 (Europe/Istanbul): 153 calls, 282.5% more than the day before (40).');
      expect(en.text).toContain('Top destinations: Germany (DE) 70 (ASR 51.4%), France (FR) 30 (ASR 10.0%), Türkiye (TR) 21 (ASR 57.1%)');
      expect(en.text).toContain('Insights (6 critical, 2 warnings): ');
      expect(en.text).toContain('traffic spike Germany (DE) at 13:00 (70, usually 10)');
      const again = (await api.http().get('/api/insights/narrative').query({ lang: 'en' }).expect(200)).body as InsightNarrative;
      expect(again).toEqual(en); // stored: same text, same generated_at

      const tr = (await api.as('agent').get('/api/insights/narrative').query({ date: '2026-11-24', lang: 'tr' }).expect(200))
        .body as InsightNarrative;
      expect(tr.text).toContain('24 Kasım 2026 Salı (Europe/Istanbul): 153 çağrı, önceki güne (40) göre %282,5 daha fazla.');
      expect(tr.text).toContain('Başlıca hedefler: Almanya (DE) 70 (ASR %51,4)');
      expect(tr.text).toContain('İçgörüler (6 kritik, 2 uyarı): ');
      // the facts are aggregates: no phone number anywhere in the answer
      for (const text of [JSON.stringify(en), JSON.stringify(tr)]) {
        expect(text).not.toMatch(/\d{7,}/);
      }
    });

    it('lets admins regenerate (agents: 403) and refuses bad dates and languages naming the parameter', async () => {
      const res = await api.http().post('/api/insights/narrative/regenerate').send({ date: '2026-11-24', lang: 'tr' }).expect(200);
      expect(res.body).toMatchObject({ date: '2026-11-24', lang: 'tr', source: 'builtin' });
      await api.as('agent').post('/api/insights/narrative/regenerate').send({ date: '2026-11-24' }).expect(403);
      for (const [query, name] of [
        [{ date: '2026-02-30' }, 'date must be a calendar date'],
        [{ date: '24.11.2026' }, 'date must be written YYYY-MM-DD'],
        [{ date: '2026-11-26' }, 'date must not be in the future'],
        [{ lang: 'de' }, 'lang'],
      ] as const) {
        const bad = await api.http().get('/api/insights/narrative').query(query).expect(400);
        expect([name, JSON.stringify(bad.body)]).toEqual([name, expect.stringContaining(name)]);
      }
      await api.http().post('/api/insights/narrative/regenerate').send({ date: '2026-13-01' }).expect(400);
    });
  });
});

describeEachDatabase('Insights narrative with a language model', ({ getUrl }) => {
  const LLM_KEY = 'sk-fake-insights-key-4f1d2c9e7b';
  const llm = new FakeLlmServer({ apiKey: LLM_KEY });
  const clock = new FakeClock(Date.parse('2026-11-25T06:00:00Z'));
  let api: TestApp;

  beforeAll(async () => {
    await llm.start();
    api = await startTestApp(
      {
        DATABASE_URL: getUrl(),
        ...INSIGHTS_ENV,
        LLM_BASE_URL: llm.baseUrl,
        LLM_API_KEY: LLM_KEY,
        LLM_MODEL: 'fake-model-1',
        LLM_TIMEOUT_MS: '1000',
      },
      { clock },
    );
    await api.app.get(CdrRepository).upsertMany(DATASET.rows);
    await api.app.get(InsightsService).analyze(); // the insights only: the narratives are the tests' subject
  });

  afterAll(async () => {
    await api.close();
    await llm.stop();
  });

  beforeEach(() => {
    llm.mode = 'ok';
    llm.requests.length = 0;
  });

  const narrative = async (query: Record<string, string>): Promise<InsightNarrative> =>
    (await api.http().get('/api/insights/narrative').query(query).expect(200)).body as InsightNarrative;

  it('asks the model once per finished day and language, with aggregates only: no caller or callee reaches the request', async () => {
    llm.reply = () => 'Dün 153 çağrı vardı; Almanya trafiği olağanın yedi katıydı.';
    const tr = await narrative({ lang: 'tr' });
    expect(tr).toMatchObject({
      date: '2026-11-24',
      lang: 'tr',
      source: 'llm',
      model: 'fake-model-1',
      note: null,
      text: 'Dün 153 çağrı vardı; Almanya trafiği olağanın yedi katıydı.',
    });
    expect(llm.requests).toHaveLength(1);
    const [request] = llm.requests;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.authorization).toBe(`Bearer ${LLM_KEY}`);
    expect(request.body?.model).toBe('fake-model-1');
    expect(request.body?.messages?.[0]).toMatchObject({ role: 'system', content: expect.stringContaining('Write in Turkish') as string });
    // what the model got is exactly the facts the answer shows
    expect(JSON.parse(request.body?.messages?.[1]?.content ?? 'null')).toEqual(tr.facts);
    expect(tr.facts.day.calls).toBe(143);
    expect(tr.facts.insights).toHaveLength(8);

    // privacy: none of the data set's numbers (nor any 7-digit run), accounts or trunks is in the request body
    expect(DATASET.numbers.length).toBe(2 * DATASET.rows.length);
    const leaked = DATASET.numbers.filter((n) => request.rawBody.includes(n) || request.rawBody.includes(n.slice(-7)));
    expect(leaked).toEqual([]);
    expect(request.rawBody).not.toMatch(/\d{7,}/);
    expect(request.rawBody).not.toContain('trunk-');
    expect(request.rawBody).not.toMatch(/"(caller|callee|account|trunk|city)"/);

    // stored: the next reader gets it without a second request; English is its own request
    expect(await narrative({ lang: 'tr' })).toEqual(tr);
    expect(llm.requests).toHaveLength(1);
    llm.reply = undefined;
    const en = await narrative({ date: '2026-11-24', lang: 'en' });
    expect(en).toMatchObject({ source: 'llm', text: 'Fake summary (en).' });
    expect(llm.requests).toHaveLength(2);
    expect(llm.requests[1].body?.messages?.[0]?.content).toContain('Write in English');
  });

  it('falls back to the built-in summary with a note when the model times out or fails; regenerate then answers 504/502 naming the upstream', async () => {
    llm.mode = 'hang';
    const timedOut = await narrative({ date: '2026-11-23', lang: 'en' });
    expect(timedOut).toMatchObject({ source: 'builtin', model: null, note: { code: 'llm_timeout' } });
    expect(timedOut.note?.tr).toContain('zamanında yanıt vermedi');
    expect(timedOut.text).toContain('Monday, 23 November 2026 (Europe/Istanbul): 40 calls.');

    const upstream = `127.0.0.1:${String(llm.port)}`;
    const gatewayTimeout = await api.http().post('/api/insights/narrative/regenerate').send({ date: '2026-11-24', lang: 'tr' }).expect(504);
    expect(gatewayTimeout.body).toMatchObject({ statusCode: 504, upstream: 'llm', upstream_host: upstream, cause: 'timeout' });
    expect(gatewayTimeout.body.message).toContain(upstream);
    // the stored narrative is untouched by the failed regeneration
    expect(await narrative({ date: '2026-11-24', lang: 'tr' })).toMatchObject({ source: 'llm' });

    llm.mode = 'error';
    expect((await narrative({ date: '2026-11-22', lang: 'tr' })).note?.code).toBe('llm_error');
    const badGateway = await api.http().post('/api/insights/narrative/regenerate').send({ date: '2026-11-24' }).expect(502);
    expect(badGateway.body).toMatchObject({ upstream: 'llm', upstream_host: upstream, cause: 'http', provider_status: 500 });
    llm.mode = 'unauthorized';
    expect((await api.http().post('/api/insights/narrative/regenerate').send({ date: '2026-11-24' }).expect(502)).body).toMatchObject({
      cause: 'auth',
      provider_status: 401,
    });
    llm.mode = 'malformed';
    expect((await api.http().post('/api/insights/narrative/regenerate').send({ date: '2026-11-24' }).expect(502)).body).toMatchObject({
      cause: 'malformed',
    });
    await llm.down();
    try {
      expect((await api.http().post('/api/insights/narrative/regenerate').send({ date: '2026-11-24' }).expect(502)).body).toMatchObject({
        cause: 'unreachable',
      });
    } finally {
      await llm.up();
    }

    // once the model answers again, a regeneration replaces the stored fallback
    llm.mode = 'ok';
    const fixed = (await api.http().post('/api/insights/narrative/regenerate').send({ date: '2026-11-23', lang: 'en' }).expect(200))
      .body as InsightNarrative;
    expect(fixed).toMatchObject({ source: 'llm', note: null });
    expect(await narrative({ date: '2026-11-23', lang: 'en' })).toMatchObject({ source: 'llm', text: fixed.text });
  });

  it('keeps a day in progress to the built-in summary (the model writes a day once it is over)', async () => {
    const today = await narrative({ date: '2026-11-25', lang: 'en' });
    expect(today).toMatchObject({ source: 'builtin', note: { code: 'day_in_progress' } });
    expect(llm.requests).toEqual([]);
  });

  it('writes yesterday in both languages on the scheduled run once the day is over, and only once', async () => {
    clock.set(Date.parse('2026-11-26T01:00:00Z')); // 04:00 in Istanbul: the 25th ended 4 hours ago (settled after 2)
    await api.app.get(InsightsService).runNow();
    expect(llm.requests.map((r) => (r.body?.messages?.[0]?.content.includes('Write in Turkish') === true ? 'tr' : 'en')).sort()).toEqual([
      'en',
      'tr',
    ]);
    expect(await narrative({ date: '2026-11-25', lang: 'tr' })).toMatchObject({ source: 'llm', note: null, text: 'Fake summary (tr).' });
    await api.app.get(InsightsService).runNow();
    expect(llm.requests).toHaveLength(2);
  });
});
