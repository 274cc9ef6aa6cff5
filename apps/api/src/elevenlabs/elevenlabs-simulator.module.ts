import { Module } from '@nestjs/common';
import { ElevenLabsSimulatorHost } from './elevenlabs-simulator.host';

@Module({ providers: [ElevenLabsSimulatorHost], exports: [ElevenLabsSimulatorHost] })
export class ElevenLabsSimulatorModule {}
