import { Clock } from '../../apps/api/src/common/clock';

/** A clock the test moves by hand; shared by the API (Clock provider) and the simulator (`now`). */
export class FakeClock extends Clock {
  constructor(private current: number) {
    super();
  }

  override now(): number {
    return this.current;
  }

  set(ms: number): void {
    this.current = ms;
  }

  advance(ms: number): number {
    this.current += ms;
    return this.current;
  }
}
