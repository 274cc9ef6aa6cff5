import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');
const BUILD_ROOT = join(REPO_ROOT, 'tmp', 'api-build');
const SOURCES = ['apps/api/src', 'libs', 'types', 'tsconfig.json', 'apps/api/tsconfig.app.json', 'nest-cli.json', 'package-lock.json'];

function sourceFiles(path: string): string[] {
  const full = join(REPO_ROOT, path);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [path];
  return readdirSync(full, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules')
    .flatMap((e) => (e.isDirectory() ? sourceFiles(join(path, e.name)) : /\.(ts|json)$/.test(e.name) && !e.name.endsWith('.spec.ts') ? [join(path, e.name)] : []));
}

/**
 * The API compiled exactly as `npm run build:api` does (`nest build api`, path aliases rewritten), into
 * `tmp/api-build/<hash of the sources>/out` instead of dist/ (which the browser tests and `npm start` own).
 * Built once per source change (~15 s), reused afterwards. Returns the path of main.js.
 */
export function builtApiMain(): string {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap(sourceFiles).sort()) {
    hash.update(file).update('\0').update(readFileSync(join(REPO_ROOT, file))).update('\0');
  }
  const key = hash.digest('hex').slice(0, 16);
  const dir = join(BUILD_ROOT, key);
  const main = join(dir, 'out', 'apps', 'api', 'src', 'main.js');
  if (existsSync(main)) return main;
  if (existsSync(BUILD_ROOT)) {
    for (const old of readdirSync(BUILD_ROOT)) rmSync(join(BUILD_ROOT, old), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: relative(dir, join(REPO_ROOT, 'apps/api/tsconfig.app.json')), compilerOptions: { outDir: './out' } }));
  const nest = join(REPO_ROOT, 'node_modules', '.bin', 'nest');
  const result = spawnSync(nest, ['build', 'api', '--path', relative(REPO_ROOT, join(dir, 'tsconfig.json'))], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 240_000 });
  if (result.status !== 0 || !existsSync(main)) {
    throw new Error(`nest build api failed (${String(result.status)}):\n${result.stdout}\n${result.stderr}`);
  }
  return main;
}
