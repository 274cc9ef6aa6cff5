// API e2e and integration suites boot databases (PGlite takes seconds to start), the app and the simulator:
// allow them time on a loaded 2-core CI machine. Hangs still fail, just later.
jest.setTimeout(120_000);
