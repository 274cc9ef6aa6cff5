import { Injectable } from '@nestjs/common';

/** Wall clock, injected so that tests can drive time (the simulator shares the same clock in e2e tests). */
@Injectable()
export class Clock {
  now(): number {
    return Date.now();
  }
}
