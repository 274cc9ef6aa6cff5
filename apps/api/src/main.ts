import { NestFactory } from '@nestjs/core';
import { SIPPY_LIB } from '@velora/sippy';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  console.log(SIPPY_LIB);
  await app.listen(3000);
}
void bootstrap();
