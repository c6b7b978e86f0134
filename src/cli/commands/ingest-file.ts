import { getQueueToken } from '@nestjs/bullmq';
import { Queue, QueueEvents } from 'bullmq';
import { parseArgs } from 'node:util';
import { JobName, QueueName } from '../../queue/queues';
import { redisConnection } from '../../queue/redis-connection';
import { SourcesService } from '../../sources/sources.service';
import { CliExit, Command, err, out, withContext } from '../command';
import { readListingsFile } from '../ingest-file';

export const ingestFileCommand: Command = {
  usage:
    'ingest-file <file.jsonl> [--source NAME] [--observed-at ISO] [--wait]\n' +
    '  Enqueues raw listings (one JSON object per line) for ingest. Bad lines are reported with\n' +
    '  their line number and reason; good lines still land. Exit 1 if any line was rejected.',
  async run(args, config) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        source: { type: 'string', default: 'manual' },
        'observed-at': { type: 'string' },
        wait: { type: 'boolean', default: false },
        'batch-size': { type: 'string', default: '500' },
      },
    });
    const file = positionals[0];
    if (!file) throw new CliExit(2, 'ingest-file: missing <file.jsonl>');
    const observedAt = values['observed-at'] ? new Date(values['observed-at']) : new Date();
    if (Number.isNaN(observedAt.getTime())) throw new CliExit(2, '--observed-at: not a date');
    const batchSize = Number(values['batch-size']);
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new CliExit(2, '--batch-size: positive integer');

    const read = await readListingsFile(file).catch((e: Error) => {
      throw new CliExit(1, `ingest-file: cannot read ${file}: ${e.message}`);
    });
    for (const e of read.errors) err(`${file}:${e.line}: rejected: ${e.reason}`);

    await withContext(config, async (app) => {
      const source = await app.get(SourcesService).ensure(values.source, 'manual');
      const queue = app.get<Queue>(getQueueToken(QueueName.Ingest));
      const events = values.wait
        ? new QueueEvents(QueueName.Ingest, {
            connection: redisConnection(config.env.REDIS_URL),
            prefix: config.env.QUEUE_PREFIX,
          })
        : null;
      try {
        await events?.waitUntilReady();
        const jobs = [];
        for (let i = 0; i < read.listings.length; i += batchSize) {
          jobs.push(
            await queue.add(JobName.IngestBatch, {
              sourceId: source.id,
              observedAt: observedAt.toISOString(),
              listings: read.listings.slice(i, i + batchSize),
            }),
          );
        }
        out(
          `enqueued ${read.listings.length} listing(s) in ${jobs.length} job(s) for source '${source.name}' (#${source.id}); rejected ${read.errors.length} line(s)`,
        );
        if (events) {
          for (const job of jobs) {
            const r = (await job.waitUntilFinished(events, 120_000)) as Record<string, number>;
            out(
              `job ${job.id}: inserted ${r.inserted}, changed ${r.changed}, unchanged ${r.unchanged}`,
            );
          }
        }
      } finally {
        await events?.close();
      }
    });
    if (read.errors.length > 0) {
      throw new CliExit(1, `ingest-file: ${read.errors.length} line(s) rejected`);
    }
  },
};
