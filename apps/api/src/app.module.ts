import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/app-config';
import { CoreModule } from './config/core.module';
import { DatabaseModule } from './database/database.module';
import { DetectionModule } from './detection/detection.module';
import { ElevenLabsModule } from './elevenlabs/elevenlabs.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { InsightsModule } from './insights/insights.module';
import { IssabelModule } from './issabel/issabel.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { MetricsModule } from './metrics/metrics.module';
import { PrivacyModule } from './privacy/privacy.module';
import { ReconcileModule } from './reconcile/reconcile.module';
import { CdrPartitionsModule } from './cdrs/cdr-partitions.module';
import { NotificationChannelsModule } from './notifications/notification-channels.module';
import { ReportsModule } from './reports/reports.module';
import { SippyModule } from './sippy/sippy.module';
import { SavedViewsModule } from './views/saved-views.module';

/** Where `npm run build` puts the Angular app, relative to dist/apps/api/src/. */
export const WEB_ROOT = join(__dirname, '..', '..', 'web', 'browser');

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: { serveWeb?: boolean } = {}): DynamicModule {
    const serveWeb = (options.serveWeb ?? true) && existsSync(join(WEB_ROOT, 'index.html'));
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        ScheduleModule.forRoot(),
        DatabaseModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (c: AppConfig) => ({ url: c.database.url, dataDir: c.database.dataDir, pgliteSharedBuffersMb: c.database.pgliteSharedBuffersMb }),
        }),
        LifecycleModule,
        AuthModule,
        PrivacyModule,
        EventsModule,
        NotificationChannelsModule,
        HealthModule,
        SippyModule,
        ReconcileModule,
        CdrPartitionsModule,
        ReportsModule,
        InsightsModule,
        DetectionModule,
        IssabelModule,
        ElevenLabsModule,
        SavedViewsModule,
        MetricsModule,
        ...(serveWeb
          ? [ServeStaticModule.forRoot({ rootPath: WEB_ROOT, exclude: ['/api/{*path}'], serveStaticOptions: { maxAge: '1h', index: 'index.html' } })]
          : []),
      ],
    };
  }
}
