import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { PinoNestLogger, createRootLogger, setRootLogger } from '../common/logger';
import { AppConfig } from '../config/app-config';
import { runMigrations, waitForServices } from '../database/boot';

/** A Nest context for operator commands: database and queues, no HTTP, no processors. */
export async function cliContext(
  config: AppConfig,
  opts: { worker?: boolean } = {},
): Promise<INestApplicationContext> {
  const log = createRootLogger(config.env.LOG_LEVEL === 'info' ? 'warn' : config.env.LOG_LEVEL);
  setRootLogger(log);
  await waitForServices(config.env.DATABASE_URL, config.env.REDIS_URL, 5, log);
  if (config.env.MIGRATIONS_RUN) await runMigrations(config.env.DATABASE_URL, log);
  return NestFactory.createApplicationContext(
    AppModule.forRoot(config, { api: false, worker: opts.worker ?? false }),
    { logger: new PinoNestLogger(log.child({ module: 'nest' })) },
  );
}
