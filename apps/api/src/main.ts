import { ConsoleLogger, Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { createApp } from './app.factory';
import { AppConfig } from './config/app-config';
import { ConfigValidationError } from './config/env.validation';

const LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) {
    process.loadEnvFile('.env'); // variables already set in the environment win
  }
  let config: AppConfig;
  try {
    config = AppConfig.fromEnv(process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\nSee .env.example and docs/configuration.md.\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = new ConsoleLogger({
    json: config.logFormat === 'json',
    colors: config.logFormat === 'pretty' && process.stdout.isTTY === true,
    logLevels: LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1),
  });
  const app = await createApp(config, { logger });
  await app.listen(config.port, config.host);
  const url = await app.getUrl();
  Logger.log(`Velora API listening on ${url.replace('[::1]', 'localhost')} — docs at /api/docs (${config.sippy.mode} mode)`, 'Bootstrap');
}

void bootstrap();
