import { Module } from '@nestjs/common';
import { IssabelSimulatorHost } from './issabel-simulator.host';

@Module({ providers: [IssabelSimulatorHost], exports: [IssabelSimulatorHost] })
export class IssabelSimulatorModule {}
