import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { AppModule } from './app.module';
import { CSRF_HEADER, SESSION_COOKIE } from './auth/auth.types';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import type { AppConfig } from './config/app-config';
import { createRootLogger, type LogDestination, requestLoggingOptions } from './logging/logger.factory';
import { PinoNestLogger } from './logging/pino-nest.logger';
import { GracefulShutdown } from './lifecycle/graceful-shutdown.service';
import { MetricsService } from './metrics/metrics.service';
import { SippyErrorFilter } from './sippy/sippy-error.filter';

export interface CreateAppOptions {
  /** Where log lines go (default stdout). */
  logDestination?: LogDestination;
  serveWeb?: boolean;
}

/** Builds the Nest application exactly as production runs it (used by main.ts). */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const logger = createRootLogger(config, options.logDestination);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, { serveWeb: options.serveWeb }), {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
  });
  configureApp(app, config, logger);
  return app;
}

/**
 * The one inline event handler of the Angular build: the critical-CSS inliner loads the full stylesheet with
 * `<link media="print" onload="this.media='all'">`. Allowed by its hash only ('unsafe-hashes' covers exactly
 * this handler text, nothing else).
 */
const ANGULAR_STYLESHEET_ONLOAD_HASH = "'sha256-MhtPZXr7+LpJUY5qtMutB+qWfQtMaPccfe7QXtCcEYc='";

/**
 * Content-Security-Policy for the Angular app served at / and Swagger UI at /api/docs: scripts only from
 * our origin; inline styles allowed (Angular Material and the critical-CSS inliner need them); blob: for the
 * synthesized audio the TTS screen plays and downloads.
 */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'unsafe-hashes'", ANGULAR_STYLESHEET_ONLOAD_HASH],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'", 'blob:'],
  mediaSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  upgradeInsecureRequests: null,
};

/** Everything main.ts and the e2e tests share after the module graph is built; `logger` adds the request log. */
export function configureApp(app: NestExpressApplication, config: AppConfig, logger: Logger): void {
  if (config.trustProxy !== undefined) {
    app.set('trust proxy', config.trustProxy);
  }
  app.disable('x-powered-by');
  app.use(app.get(GracefulShutdown).middleware());
  app.use(app.get(MetricsService).httpMiddleware());
  app.use(pinoHttp(requestLoggingOptions(logger)));
  app.use(helmet({ contentSecurityPolicy: { directives: CONTENT_SECURITY_POLICY } }));
  app.use(cookieParser());
  app.useBodyParser('json', { limit: '100kb' });
  app.setGlobalPrefix('api', { exclude: ['metrics'] });
  // SIGTERM/SIGINT: drain HTTP (GracefulShutdown), stop the sync after its window, release the lease, close the
  // database, then exit 0 (process.exit also flushes the async log destination)
  app.enableShutdownHooks([], { useProcessExit: true });
  app.enableCors({
    // only the listed origins (exact match), with cookies; no CORS at all when none is configured
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    credentials: true,
    allowedHeaders: ['Content-Type', 'Authorization', CSRF_HEADER],
    exposedHeaders: ['X-Total-Count', 'X-Total-Count-Exact', 'X-Next-Cursor', 'X-Character-Cost', 'X-Upstream-Request-Id', 'X-Request-Id', 'Retry-After'],
    maxAge: 600,
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
      .addCookieAuth(
        SESSION_COOKIE,
        { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Web session from POST /api/auth/login; state-changing requests also need X-CSRF-Token = the velora_csrf cookie' },
        SESSION_COOKIE,
      )
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API token (vlr_…) from POST /api/auth/tokens' })
      .addSecurityRequirements(SESSION_COOKIE)
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
