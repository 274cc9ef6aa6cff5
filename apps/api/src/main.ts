import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { createApp } from './app.factory';
import { AppConfig } from './config/app-config';
import { ConfigValidationError } from './config/env.validation';
import { SippyLiveClient } from './sippy/sippy-live-client';

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
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const url = await app.getUrl();
  Logger.log(
    `Velora API listening on ${url.replace('[::1]', 'localhost')} — docs at /api/docs (SippySoft: ${app.get(SippyLiveClient).current.info.mode})`,
    'Bootstrap',
  );
}

void bootstrap();
