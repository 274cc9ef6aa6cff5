// A real browser against a real API has timing noise that unit tests do not (2-core CI machine, a sync loop
// running beside the page). Each browser test gets one retry, like Playwright's own CI default; the first
// failure is still printed so flakiness stays visible in the log.
jest.retryTimes(1, { logErrorsBeforeRetry: true });
