import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { loadAll, load } from 'js-yaml';
import { AppConfig } from '../../apps/api/src/config/app-config';
import { EnvironmentVariables } from '../../apps/api/src/config/env.validation';
import { METRIC } from '../../apps/api/src/metrics/metric-names';
import { REPO_ROOT } from '../support/built-api';
import { startTestApp, type TestApp } from '../support/test-app';

type Obj = Record<string, unknown>;
const K8S_DIR = join(REPO_ROOT, 'deploy', 'k8s');
const METRICS_TOKEN = 'manifest-test-metrics-token';

const obj = (value: unknown, what: string): Obj => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Obj;
};
const arr = (value: unknown, what: string): unknown[] => {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list`);
  return value;
};
const str = (value: unknown, what: string): string => {
  if (typeof value !== 'string') throw new Error(`${what} is not a string`);
  return value;
};

/** Every document of every manifest file, with its file name. */
function manifests(): Array<{ file: string; doc: Obj }> {
  return readdirSync(K8S_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .flatMap((file) => loadAll(readFileSync(join(K8S_DIR, file), 'utf8')).filter((d) => d !== null).map((d) => ({ file, doc: obj(d, file) })));
}

function byKind(kind: string): Obj[] {
  return manifests()
    .filter(({ doc }) => doc['kind'] === kind)
    .map(({ doc }) => doc);
}

/** Every variable EnvironmentVariables declares (optional ones included), from class-validator's metadata. */
function knownVariables(): Set<string> {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(EnvironmentVariables, '', true, false);
  return new Set(metadata.map((m) => m.propertyName));
}

interface ContainerView {
  ports: Map<string, number>;
  probes: Array<{ kind: string; path: string; port: string | number }>;
  envNames: string[];
  configMaps: string[];
  secrets: string[];
}

function container(deployment: Obj): ContainerView {
  const spec = obj(obj(obj(deployment['spec'], 'spec')['template'], 'template')['spec'], 'pod spec');
  const c = arr(spec['containers'], 'containers').map((x) => obj(x, 'container')).at(0);
  if (c === undefined) throw new Error('no container');
  const ports = new Map(arr(c['ports'], 'ports').map((p) => [str(obj(p, 'port')['name'], 'port name'), Number(obj(p, 'port')['containerPort'])]));
  const probes = ['startupProbe', 'livenessProbe', 'readinessProbe'].map((kind) => {
    const http = obj(obj(c[kind], kind)['httpGet'], `${kind}.httpGet`);
    return { kind, path: str(http['path'], `${kind} path`), port: http['port'] as string | number };
  });
  const envFrom = arr(c['envFrom'] ?? [], 'envFrom').map((e) => obj(e, 'envFrom'));
  return {
    ports,
    probes,
    envNames: arr(c['env'] ?? [], 'env').map((e) => str(obj(e, 'env')['name'], 'env name')),
    configMaps: envFrom.flatMap((e) => (e['configMapRef'] ? [str(obj(e['configMapRef'], 'ref')['name'], 'name')] : [])),
    secrets: envFrom.flatMap((e) => (e['secretRef'] ? [str(obj(e['secretRef'], 'ref')['name'], 'name')] : [])),
  };
}

describe('deploy/k8s manifests against the app', () => {
  let api: TestApp | undefined;
  let routes: Set<string>;
  const deployment = (): Obj => {
    const d = byKind('Deployment').at(0);
    if (d === undefined) throw new Error('no Deployment');
    return d;
  };
  const configData = (): Record<string, string> => obj(byKind('ConfigMap')[0]?.['data'], 'ConfigMap data') as Record<string, string>;
  const secretData = (): Record<string, string> => obj(byKind('Secret')[0]?.['stringData'], 'Secret stringData') as Record<string, string>;

  beforeAll(async () => {
    api = await startTestApp({ DATABASE_URL: 'memory://', METRICS_TOKEN }, { seedUsers: false });
    const doc = await api.anonymous().get('/api/docs-json').expect(200);
    routes = new Set(Object.keys(obj(obj(doc.body, 'OpenAPI')['paths'], 'paths')));
  });

  afterAll(async () => {
    await api?.close();
  });

  it('has a Deployment, Service, ConfigMap, Secret template and PodDisruptionBudget', () => {
    expect(manifests().map(({ doc }) => doc['kind']).sort()).toEqual(['ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Secret', 'Service']);
    expect(obj(deployment()['spec'], 'spec')['replicas']).toBe(2);
  });

  it('probes real, anonymous routes of the app: liveness /api/sippy/health, readiness /api/health/ready', async () => {
    const { probes } = container(deployment());
    expect(Object.fromEntries(probes.map((p) => [p.kind, p.path]))).toEqual({
      startupProbe: '/api/health/live',
      livenessProbe: '/api/sippy/health',
      readinessProbe: '/api/health/ready',
    });
    for (const probe of probes) {
      expect(routes).toContain(probe.path); // documented route of the API
      const res = await (api as TestApp).anonymous().get(probe.path); // reachable without credentials (kubelet has none)
      expect([200, 503]).toContain(res.status);
    }
  });

  it('makes the liveness probe safe: SIPPY_HEALTH_STRICT=false in the ConfigMap', () => {
    const config = AppConfig.fromEnv({ ...configData(), ...validSecrets() });
    expect(config.sippy.healthStrict).toBe(false);
  });

  it('exposes exactly the ports the app listens on, and the probes and Service use them', () => {
    const { ports, probes } = container(deployment());
    const config = AppConfig.fromEnv({ ...configData(), ...validSecrets() });
    expect(ports.get('http')).toBe(config.port);
    expect(ports.get('metrics')).toBe(config.metrics.port);
    for (const probe of probes) expect(typeof probe.port === 'string' ? ports.has(probe.port) : [...ports.values()].includes(probe.port)).toBe(true);
    const service = obj(byKind('Service')[0]?.['spec'], 'Service spec');
    for (const port of arr(service['ports'], 'Service ports')) {
      const target = obj(port, 'Service port')['targetPort'];
      expect(typeof target === 'string' ? ports.has(target) : [...ports.values()].includes(Number(target))).toBe(true);
    }
    const annotations = obj(obj(obj(obj(deployment()['spec'], 'spec')['template'], 'template')['metadata'], 'metadata')['annotations'], 'annotations');
    expect(Number(annotations['prometheus.io/port'])).toBe(config.metrics.port);
    expect(annotations['prometheus.io/path']).toBe('/metrics');
  });

  it('names only environment variables that env.validation.ts declares, and valid values in the ConfigMap', () => {
    const known = knownVariables();
    const { envNames, configMaps, secrets } = container(deployment());
    const named = [...envNames, ...Object.keys(configData()), ...Object.keys(secretData())];
    expect(named.filter((name) => !known.has(name))).toEqual([]);
    expect(configMaps).toEqual([str(obj(byKind('ConfigMap')[0]?.['metadata'], 'metadata')['name'], 'name')]);
    expect(secrets).toEqual([str(obj(byKind('Secret')[0]?.['metadata'], 'metadata')['name'], 'name')]);
    expect(() => AppConfig.fromEnv({ ...configData(), ...validSecrets() })).not.toThrow();
  });

  it('ships a Secret template whose placeholders fail validation instead of running with known secrets', () => {
    expect(() => AppConfig.fromEnv({ ...configData(), ...secretData() })).toThrow(/AUTH_JWT_SECRET must be at least 32 characters/);
  });

  it('selects the pods with the Service and the PodDisruptionBudget', () => {
    const podLabels = obj(obj(obj(obj(deployment()['spec'], 'spec')['template'], 'template')['metadata'], 'metadata')['labels'], 'labels');
    for (const selector of [obj(obj(byKind('Service')[0]?.['spec'], 'spec')['selector'], 'Service selector'), obj(obj(obj(byKind('PodDisruptionBudget')[0]?.['spec'], 'spec')['selector'], 's')['matchLabels'], 'PDB selector')]) {
      expect(podLabels).toMatchObject(selector);
    }
  });

  it('runs non-root with a read-only root filesystem, a writable /tmp and resource requests and limits', () => {
    const pod = obj(obj(obj(deployment()['spec'], 'spec')['template'], 'template')['spec'], 'pod spec');
    expect(obj(pod['securityContext'], 'pod securityContext')).toMatchObject({ runAsNonRoot: true });
    const c = obj(arr(pod['containers'], 'containers')[0], 'container');
    expect(obj(c['securityContext'], 'securityContext')).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(arr(c['volumeMounts'], 'mounts')).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    const resources = obj(c['resources'], 'resources');
    const requests = obj(resources['requests'], 'requests');
    const limits = obj(resources['limits'], 'limits');
    expect([requests['cpu'], requests['memory'], limits['memory']].map((v) => typeof v)).toEqual(['string', 'string', 'string']);
    // the grace period covers the preStop pause plus the HTTP drain
    expect(Number(pod['terminationGracePeriodSeconds'])).toBeGreaterThan(Number(configData()['SHUTDOWN_TIMEOUT_SECONDS']) + 5);
  });

  it('passes kubectl offline (client-side dry run; a local discovery cache stands in for the cluster)', () => {
    const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
    if (kubectl.error !== undefined) {
      process.stderr.write('kubectl not installed: the offline kubectl check is skipped (the checks above still ran)\n');
      return;
    }
    const cache = mkdtempSync(join(tmpdir(), 'velora-kubectl-'));
    try {
      writeDiscoveryCache(cache);
      const result = spawnSync('kubectl', ['create', '--dry-run=client', '--validate=false', '--cache-dir', cache, '--server', 'http://127.0.0.1:1', '-f', K8S_DIR, '-o', 'name'], { encoding: 'utf8', timeout: 60_000 });
      expect(result.stderr).toBe('');
      expect(result.stdout.trim().split('\n').sort()).toEqual(['configmap/velora-config', 'deployment.apps/velora', 'poddisruptionbudget.policy/velora', 'secret/velora-secrets', 'service/velora']);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('docker-compose.yml: PostgreSQL with a healthcheck first, the app built from the Dockerfile, known variables only', () => {
    const compose = obj(load(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8')), 'compose');
    const services = obj(compose['services'], 'services');
    const postgres = obj(services['postgres'], 'postgres');
    const velora = obj(services['velora'], 'velora');
    expect(str(postgres['image'], 'image')).toMatch(/^postgres:16/);
    expect(obj(postgres['healthcheck'], 'healthcheck')['test']).toEqual(expect.arrayContaining([expect.stringContaining('pg_isready')]));
    expect(obj(velora['depends_on'], 'depends_on')).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(velora['build']).toBe('.');
    const environment = obj(velora['environment'], 'environment');
    expect(Object.keys(environment).filter((name) => !knownVariables().has(name))).toEqual([]);
    expect(str(environment['DATABASE_URL'], 'DATABASE_URL')).toMatch(/^postgres:\/\/velora:.*@postgres:5432\/velora$/);
    expect(arr(velora['ports'], 'ports')).toEqual([expect.stringMatching(/:3000"?$/)]);
  });

  it('the Grafana dashboard is valid JSON and queries only metrics the app exposes', async () => {
    const dashboard = obj(JSON.parse(readFileSync(join(REPO_ROOT, 'deploy', 'grafana', 'velora-dashboard.json'), 'utf8')), 'dashboard');
    const exprs = arr(dashboard['panels'], 'panels').flatMap((p) => arr(obj(p, 'panel')['targets'] ?? [], 'targets').map((t) => str(obj(t, 'target')['expr'], 'expr')));
    expect(exprs.length).toBeGreaterThan(10);
    const res = await (api as TestApp).anonymous().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    const exposed = new Set(res.text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]));
    // PostgreSQL pool gauges exist only with DATABASE_URL=postgres:// (this app runs on PGlite)
    exposed.add(METRIC.dbPoolConnections).add(METRIC.dbPoolMax);
    const queried = new Set(exprs.flatMap((e) => [...e.matchAll(/\b((?:velora|process|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1])));
    const base = (name: string): string => name.replace(/_(bucket|count|sum)$/, '');
    expect([...queried].filter((name) => !exposed.has(name) && !exposed.has(base(name)))).toEqual([]);
    for (const name of Object.values(METRIC)) {
      expect([...queried].some((q) => base(q) === name || q === name)).toBe(true); // every Velora metric has a panel
    }
  });
});

/** ConfigMap values plus valid stand-ins for the Secret's placeholders. */
function validSecrets(): Record<string, string> {
  return {
    DATABASE_URL: 'postgres://velora:pw@db.test:5432/velora',
    AUTH_JWT_SECRET: 'x'.repeat(48),
    SIPPY_RPC_USER: 'user',
    SIPPY_RPC_PASS: 'pass',
    METRICS_TOKEN: 'm'.repeat(24),
  };
}

/** kubectl maps kinds to resources through discovery; this cache answers for the kinds our manifests use. */
function writeDiscoveryCache(cacheDir: string): void {
  const root = join(cacheDir, 'discovery', '127.0.0.1_1');
  const list = (groupVersion: string, resources: Array<[string, string]>): string =>
    JSON.stringify({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion,
      resources: resources.map(([name, kind]) => ({ name, singularName: kind.toLowerCase(), namespaced: true, kind, verbs: ['create', 'get', 'list', 'patch', 'update', 'delete'] })),
    });
  const group = (name: string): Obj => {
    const gv = name === '' ? 'v1' : `${name}/v1`;
    return { name, versions: [{ groupVersion: gv, version: 'v1' }], preferredVersion: { groupVersion: gv, version: 'v1' } };
  };
  for (const [dir, body] of [
    ['v1', list('v1', [['configmaps', 'ConfigMap'], ['secrets', 'Secret'], ['services', 'Service']])],
    ['apps/v1', list('apps/v1', [['deployments', 'Deployment']])],
    ['policy/v1', list('policy/v1', [['poddisruptionbudgets', 'PodDisruptionBudget']])],
  ] as const) {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, 'serverresources.json'), body);
  }
  writeFileSync(join(root, 'servergroups.json'), JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups: [group(''), group('apps'), group('policy')] }));
}
