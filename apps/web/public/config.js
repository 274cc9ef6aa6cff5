// Velora web runtime configuration (optional). Edit this file in dist/apps/web/browser/ to change
// the settings without rebuilding. Both keys are optional; see docs/web.md.
//
// window.__VELORA_CONFIG__ = {
//   apiBaseUrl: '',              // '' = same origin as the page; or e.g. 'https://velora-api.example.com'
//   cdrRefreshIntervalMs: 30000, // live view and health refresh cadence (>= 1000)
// };
