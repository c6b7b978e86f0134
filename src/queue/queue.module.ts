import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { QueueName, defaultJobOptions } from './queues';
import { redisConnection } from './redis-connection';

const queues = Object.values(QueueName).map((name) => BullModule.registerQueue({ name }));

/** Redis connection and every queue (producers are available in both roles). */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: redisConnection(config.env.REDIS_URL),
        prefix: config.env.QUEUE_PREFIX,
        defaultJobOptions,
      }),
    }),
    ...queues,
  ],
  exports: queues,
})
export class QueueModule {}
