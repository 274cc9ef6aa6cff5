export { FakeServerLifecycle, type FakeServerDownMode, type FakeServerLifecycleOptions } from './fake-server-lifecycle';
