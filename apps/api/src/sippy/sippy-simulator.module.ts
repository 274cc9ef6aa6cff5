import { Module } from '@nestjs/common';
import { SippySimulatorHost } from './sippy-simulator.host';

@Module({ providers: [SippySimulatorHost], exports: [SippySimulatorHost] })
export class SippySimulatorModule {}
