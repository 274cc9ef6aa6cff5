import { FakeAmiServer } from '@velora/integrations/simulator';
import { startTestApp, type TestApp } from '../support/test-app';
import { cleanUp } from '../support/clean-up';

const SECRET = 'e2e-Ami-S3cret-value';

describe('Issabel API (fake AMI over real TCP)', () => {
  let ami: FakeAmiServer;
  let api: TestApp;

  beforeAll(async () => {
    ami = new FakeAmiServer({ username: 'crm', secret: SECRET, authFailDelayMs: 5 });
    await ami.start();
    api = await startTestApp({
      DATABASE_URL: 'memory://',
      ISSABEL_AMI_HOST: '127.0.0.1',
      ISSABEL_AMI_PORT: String(ami.port),
      ISSABEL_AMI_USER: 'crm',
      ISSABEL_AMI_SECRET: SECRET,
      ISSABEL_AMI_TIMEOUT_MS: '300',
    });
  });

  afterAll(async () => {
    await cleanUp(api, (r) => r.close());
    await cleanUp(ami, (r) => r.stop());
  });

  afterEach(() => { ami.clearFaults(); });

  it('GET /api/issabel/health is 200 up with version, current calls and latency', async () => {
    const res = await api.http().get('/api/issabel/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details.issabel).toMatchObject({
      status: 'up',
      mode: 'live',
      endpoint: `tcp://127.0.0.1:${ami.port}`,
      ami_version: '5.0.2',
      asterisk_version: '16.30.1',
      current_calls: 2,
      denied_actions: [],
    });
    expect(res.body.details.issabel.latency_ms).toEqual(expect.any(Number));
    expect(Date.parse(res.body.details.issabel.checked_at)).not.toBeNaN();
  });

  it.each([
    ['auth', () => { ami.refuseLogins(1); }],
    ['timeout', () => { ami.hang('login', 1); }],
    ['unreachable', () => { ami.drop({ action: 'Ping' }, 1); }],
  ] as const)('health is 503 with cause %s', async (cause, inject) => {
    inject();
    const res = await api.http().get('/api/issabel/health').expect(503);
    expect(res.body.status).toBe('error');
    expect(res.body.details.issabel).toMatchObject({ status: 'down', mode: 'live', cause, latency_ms: null });
    expect(res.body.details.issabel.message).toEqual(expect.any(String));
  });

  it('health is 503 refused when the PBX is gone, and up again when it returns', async () => {
    await ami.down();
    const down = await api.http().get('/api/issabel/health').expect(503);
    expect(down.body.details.issabel).toMatchObject({ cause: 'refused' });
    expect(down.body.details.issabel.message).toContain('AMI enabled');
    await ami.up();
    await api.http().get('/api/issabel/health').expect(200);
  });

  it('GET /api/issabel/status: channels, calls and peers', async () => {
    const res = await api.http().get('/api/issabel/status').expect(200);
    expect(res.body).toMatchObject({
      mode: 'live',
      active_channels: 3,
      active_calls: 2,
      channels_availability: 'ok',
      peers_availability: 'ok',
      peer_summary: [{ technology: 'sip', total: 6, online: 4, offline: 2 }],
      truncated: false,
    });
    expect(res.body.channels).toHaveLength(3);
    expect(res.body.peers).toHaveLength(6);
  });

  it('masks the numbers of live calls for a masked role (docs/security.md#privacy)', async () => {
    const settings = { masked_roles: ['agent'], reveal_roles: ['admin', 'agent'] };
    await api.as('admin').put('/api/privacy/settings').send({ masking_enabled: true, ...settings }).expect(200);
    try {
      const agent = await api.as('agent').get('/api/issabel/status').expect(200);
      const channels = agent.body.channels as { caller_id_num: string | null; connected_line_num: string | null; exten: string | null }[];
      expect(channels.map((c) => c.connected_line_num)).toContain('+90 212 *** ** 55');
      expect(channels.map((c) => c.caller_id_num)).toContain('101'); // an extension stays readable
      expect(JSON.stringify(agent.body)).not.toContain('902123334455');
      const admin = await api.as('admin').get('/api/issabel/status').expect(200);
      expect(JSON.stringify(admin.body)).toContain('902123334455');
    } finally {
      await api.as('admin').put('/api/privacy/settings').send({ masking_enabled: false, ...settings }).expect(200);
    }
  });

  it('status maps PBX failures to 502 (auth) and 504 (timeout) naming the provider', async () => {
    ami.refuseLogins(1);
    const auth = await api.http().get('/api/issabel/status').expect(502);
    expect(auth.body).toMatchObject({ upstream: 'issabel', cause: 'auth', error: 'Bad Gateway' });
    expect(auth.body.message).toContain('ISSABEL_AMI_SECRET');
    ami.hang({ action: 'CoreShowChannels' }, 1);
    const timeout = await api.http().get('/api/issabel/status').expect(504);
    expect(timeout.body).toMatchObject({ upstream: 'issabel', cause: 'timeout' });
  });

  it('never shows the AMI secret in responses or logs', async () => {
    ami.refuseLogins(1);
    const bodies = [
      await api.http().get('/api/issabel/health'),
      await api.http().get('/api/issabel/status'),
      await api.http().get('/api/issabel/health'),
      await api.http().get('/api/issabel/status'),
    ].map((r) => JSON.stringify(r.body));
    for (const body of bodies) expect(body).not.toContain(SECRET);
    expect(api.logs.text()).not.toContain(SECRET);
    expect(api.logs.text()).toContain('upstream Issabel AMI error (auth)');
  });

  it('is documented in Swagger', async () => {
    const doc = await api.http().get('/api/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/issabel/health', '/api/issabel/status']));
  });
});

describe('Issabel API when not configured', () => {
  it('health and status are 503 not_configured (production: no simulator)', async () => {
    const api = await startTestApp({ DATABASE_URL: 'memory://', NODE_ENV: 'production', SIPPY_RPC_URL: 'https://sippy.invalid/xmlapi/xmlapi', SIPPY_RPC_USER: 'u', SIPPY_RPC_PASS: 'p', AUTH_JWT_SECRET: 'e2e-jwt-secret-0123456789abcdef0123456789' });
    try {
      const res = await api.http().get('/api/issabel/health').expect(503);
      expect(res.body.details.issabel).toMatchObject({ status: 'down', mode: 'unconfigured', cause: 'not_configured' });
      const status = await api.http().get('/api/issabel/status').expect(503);
      expect(status.body.message).toContain('ISSABEL_AMI_HOST');
    } finally {
      await api.close();
    }
  });

  it('demo mode starts the fake AMI server in-process and says so', async () => {
    const api = await startTestApp({ DATABASE_URL: 'memory://', NODE_ENV: 'development', ISSABEL_SIMULATOR: 'auto' });
    try {
      const res = await api.http().get('/api/issabel/health').expect(200);
      expect(res.body.details.issabel).toMatchObject({ status: 'up', mode: 'simulator', current_calls: 2 });
      await api.http().get('/api/issabel/status').expect(200);
    } finally {
      await api.close();
    }
  });
});
