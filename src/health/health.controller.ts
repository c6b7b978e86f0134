import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { QueueName } from '../queue/queues';

type Check = { status: 'up' | 'down'; latencyMs: number; error?: string };

async function timed(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<Check> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'up', latencyMs: Date.now() - started };
  } catch (e) {
    return { status: 'down', latencyMs: Date.now() - started, error: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Liveness and readiness: PostgreSQL and Redis. 503 when either is down. */
@Controller()
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Ingest) private readonly queue: Queue,
  ) {}

  @Get('health')
  async health(@Res() reply: FastifyReply): Promise<void> {
    const [database, redis] = await Promise.all([
      timed(() => this.db.query('SELECT 1')),
      timed(() => this.queue.count()),
    ]);
    const ok = database.status === 'up' && redis.status === 'up';
    await reply
      .status(ok ? 200 : 503)
      .send({ status: ok ? 'ok' : 'degraded', checks: { database, redis } });
  }
}
