export { FakeServer } from './fake-server';
export { FakeServerLifecycle, type FakeServerDownMode, type FakeServerLifecycleOptions } from './fake-server-lifecycle';
