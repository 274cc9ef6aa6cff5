import { startTestApp, type TestApp } from '../support/test-app';
import { cleanUp } from '../support/clean-up';

jest.setTimeout(60_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface RequestLine {
  level: string;
  context: string;
  msg: string;
  user_id?: string;
  req: { id: string; method: string; url: string };
  res: { statusCode: number };
  responseTime: number;
}

describe('request log (e2e)', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ DATABASE_URL: 'memory://', LOG_FORMAT: 'json', LOG_LEVEL: 'debug' });
  });

  afterAll(async () => {
    await cleanUp(api, (r) => r.close());
  });

  const requestLines = (): RequestLine[] => api.logs.records().filter((r) => r['context'] === 'HTTP') as unknown as RequestLine[];
  const lineFor = (id: string): RequestLine | undefined => requestLines().find((r) => r.req.id === id);

  it('logs one JSON line per request: method, path, status, duration, user, request id (also sent back)', async () => {
    const res = await api.as('agent').get('/api/sippy/cdrs?limit=5').expect(200);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(UUID);
    expect(lineFor(id)).toMatchObject({
      level: 'info',
      msg: expect.stringMatching(/^GET \/api\/sippy\/cdrs\?limit 200 \d+ ms$/),
      user_id: api.users.agent!.id,
      req: { method: 'GET', url: '/api/sippy/cdrs?limit' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
  });

  it('keeps query values (phone numbers) and credentials out of the log', async () => {
    const res = await api.as('admin').get('/api/sippy/cdrs?caller=%2B905321234567&limit=5').expect(200);
    expect(lineFor(res.headers['x-request-id'])?.req.url).toBe('/api/sippy/cdrs?caller&limit');
    const text = api.logs.text();
    expect(text).not.toContain('905321234567');
    expect(text).not.toMatch(/Bearer|vlr_/);
  });

  it('uses a well-formed X-Request-Id from the caller and replaces a malformed one', async () => {
    const mine = await api.as('agent').get('/api/auth/me').set('X-Request-Id', 'lb-7f3a.42').expect(200);
    expect(mine.headers['x-request-id']).toBe('lb-7f3a.42');
    expect(lineFor('lb-7f3a.42')?.msg).toMatch(/^GET \/api\/auth\/me 200/);
    const bad = await api.as('agent').get('/api/auth/me').set('X-Request-Id', 'x'.repeat(200)).expect(200);
    expect(bad.headers['x-request-id']).toMatch(UUID);
  });

  it('logs client errors at warn, probes at debug', async () => {
    const denied = await api.anonymous().get('/api/sippy/cdrs').expect(401);
    expect(lineFor(denied.headers['x-request-id'])).toMatchObject({ level: 'warn', res: { statusCode: 401 } });
    expect(lineFor(denied.headers['x-request-id'])?.user_id).toBeUndefined();
    const probe = await api.anonymous().get('/api/health/live').expect(200);
    expect(lineFor(probe.headers['x-request-id'])?.level).toBe('debug');
  });

  it('service logs share the JSON format with a context', () => {
    expect(api.logs.records().some((r) => r['context'] === 'DatabaseService' && r['level'] === 'info')).toBe(true);
  });
});
