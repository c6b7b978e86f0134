import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { Queue, QueueEvents } from 'bullmq';
import { parseArgs } from 'node:util';
import { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/env';
import { JobName, QueueName } from '../queue/queues';
import { redisConnection } from '../queue/redis-connection';
import { SourcesService } from '../sources/sources.service';
import { cliContext } from './context';
import { readListingsFile } from './ingest-file';

/** Exit codes: 0 ok, 1 failure or rejected input, 2 usage, 3 blocked page. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

type Command = {
  usage: string;
  run(args: string[], config: AppConfig): Promise<void>;
};

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);

async function withContext<T>(
  config: AppConfig,
  fn: (app: INestApplicationContext) => Promise<T>,
  opts: { worker?: boolean } = {},
): Promise<T> {
  const app = await cliContext(config, opts);
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

const commands: Record<string, Command> = {
  'ingest-file': {
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
  },
};

export function registerCommand(name: string, command: Command): void {
  commands[name] = command;
}

function usage(): string {
  return [
    'usage: npm run cli -- <command> [args]',
    '',
    ...Object.entries(commands).map(
      ([name, c]) => `  ${c.usage.startsWith(name) ? '' : name + ' '}${c.usage}`,
    ),
  ].join('\n');
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help') {
    out(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    err(`unknown command '${name}'\n${usage()}`);
    return 2;
  }
  try {
    const config = AppConfig.fromProcess();
    await command.run(args, config);
    return 0;
  } catch (e) {
    if (e instanceof CliExit) {
      err(e.message);
      return e.code;
    }
    if (e instanceof ConfigError) {
      err(e.message);
      return 2;
    }
    err(`${name}: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
