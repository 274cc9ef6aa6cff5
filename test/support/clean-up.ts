/**
 * For afterAll/afterEach. A resource that beforeAll/beforeEach assigns is typed as always set (every test runs after
 * the set-up), but it is still unset in the after-hook when the set-up failed part-way. Releases it only if it was
 * set, so the resources that were started are still released and the set-up error is the one Jest reports.
 */
export async function cleanUp<T>(resource: T | undefined, release: (resource: T) => Promise<unknown>): Promise<void> {
  if (resource !== undefined) {
    await release(resource);
  }
}
