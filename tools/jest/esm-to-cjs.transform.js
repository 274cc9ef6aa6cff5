// Jest (on Node 20) cannot require() ES modules; NestJS 12 and a few of its dependencies ship only ESM,
// and PGlite's CommonJS build still calls import() (unsupported by Jest's CommonJS runtime).
// This transformer rewrites those node_modules files to CommonJS with esbuild (already a dependency of the
// Angular build). Our own TypeScript still goes through ts-jest. Results are cached by Jest.
const { transformSync } = require('esbuild');
const { createHash } = require('node:crypto');

const IMPORT_META = /\bimport\.meta\.(url|dirname|filename)\b/g;
const CJS_META = {
  url: '__velora_import_meta_url',
  dirname: '__dirname',
  filename: '__filename',
};

module.exports = {
  process(source, filename) {
    const usesMeta = IMPORT_META.test(source);
    const input = usesMeta ? source.replace(IMPORT_META, (_, key) => CJS_META[key]) : source;
    const { code, map } = transformSync(input, {
      loader: 'js',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      sourcefile: filename,
      logLevel: 'silent',
      supported: { 'dynamic-import': false }, // import() → require(): Jest's CommonJS runtime has no dynamic import
      banner: usesMeta ? 'const __velora_import_meta_url = require("node:url").pathToFileURL(__filename).href;' : '',
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return createHash('sha1').update('esm-to-cjs-v3').update(filename).update(source).digest('hex');
  },
};
