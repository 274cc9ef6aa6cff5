// API e2e suites boot the whole app, a database and the simulator: allow them time (CI machine: 2 cores).
jest.setTimeout(120_000);
