import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SippyModule } from '../sippy/sippy.module';
import { SyncStateRepository } from '../sync/sync-state.repository';
import { InsightEventsPublisher } from './insight-events.publisher';
import { InsightsController } from './insights.controller';
import { InsightsRepository } from './insights.repository';
import { InsightsService } from './insights.service';
import { LlmClient, OpenAiCompatibleLlmClient } from './llm/llm.client';
import { NarrativeService } from './narrative/narrative.service';

/**
 * /api/insights: anomalies on the hourly rollup, pushed on `InsightsService.insights$`, and the daily narrative
 * (a language model behind the `LlmClient` port, or the built-in summary). New warning/critical insights of recent
 * hours become `insight` events (InsightEventsPublisher).
 */
@Module({
  imports: [SippyModule],
  controllers: [InsightsController],
  providers: [
    InsightsRepository,
    InsightsService,
    InsightEventsPublisher,
    NarrativeService,
    SyncStateRepository,
    { provide: LlmClient, inject: [AppConfig], useFactory: (config: AppConfig) => new OpenAiCompatibleLlmClient(config.llm) },
  ],
  exports: [InsightsService],
})
export class InsightsModule {}
