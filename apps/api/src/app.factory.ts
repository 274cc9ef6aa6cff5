import { type INestApplication, type LoggerService, type LogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import type { AppConfig } from './config/app-config';
import { SippyErrorFilter } from './sippy/sippy-error.filter';

export interface CreateAppOptions {
  logger?: LoggerService | LogLevel[] | false;
  serveWeb?: boolean;
}

/** Builds the Nest application exactly as production runs it (used by main.ts and the e2e tests). */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, { serveWeb: options.serveWeb }), {
    logger: options.logger,
    bufferLogs: options.logger !== false,
    bodyParser: false,
  });
  configureApp(app, config);
  return app;
}

/** Everything main.ts and the e2e tests share after the module graph is built. */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  app.useBodyParser('json', { limit: '100kb' });
  app.setGlobalPrefix('api');
  app.enableShutdownHooks();
  app.enableCors({
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    exposedHeaders: ['X-Total-Count'],
  });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
    }),
  );
  // catch-all first, then the specific filter (Nest tries global filters from the last one registered)
  app.useGlobalFilters(new AllExceptionsFilter(), new SippyErrorFilter());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Velora API')
      .setDescription('VoIP CRM for SippySoft: CDRs, health, connection tests. All endpoints live under /api.')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
