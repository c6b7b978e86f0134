import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { PinoNestLogger, createRootLogger, setRootLogger } from './common/logger';
import { AppConfig } from './config/app-config';
import { runMigrations, waitForServices } from './database/boot';

export interface Started {
  app: INestApplicationContext;
  /** Set when the api role listens. */
  url?: string;
  close(): Promise<void>;
}

/**
 * Boots the roles named by APP_ROLE: waits for PostgreSQL and Redis, applies pending migrations
 * (unless MIGRATIONS_RUN=false), then serves GraphQL and /health (api) and/or runs the queue
 * processors (worker). Used by main.ts, the CLI and the e2e tests.
 */
export async function bootstrap(config: AppConfig): Promise<Started> {
  const log = createRootLogger(config.env.LOG_LEVEL);
  setRootLogger(log);
  await waitForServices(
    config.env.DATABASE_URL,
    config.env.REDIS_URL,
    config.env.BOOT_WAIT_SECONDS,
    log,
  );
  if (config.env.MIGRATIONS_RUN) await runMigrations(config.env.DATABASE_URL, log);

  const logger = new PinoNestLogger(log.child({ module: 'nest' }));
  if (!config.runsApi) {
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
      logger,
      abortOnError: false,
    });
    app.enableShutdownHooks();
    log.info({ role: config.env.APP_ROLE }, 'worker started');
    return { app, close: () => app.close() };
  }
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter({ bodyLimit: 5 * 1024 * 1024, trustProxy: true }),
    // abortOnError: false so a module that fails to build rejects with its error instead of
    // Nest calling process.exit(1) after logging through a possibly silent logger.
    { logger, abortOnError: false },
  );
  app.enableShutdownHooks();
  await app.listen({ port: config.env.PORT, host: config.env.HOST });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.env.PORT;
  const url = `http://${config.env.HOST}:${port}`;
  log.info({ role: config.env.APP_ROLE, url, graphql: `${url}/graphql` }, 'rackhound listening');
  return { app, url, close: () => app.close() };
}
