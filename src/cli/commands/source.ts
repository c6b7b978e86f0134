import { parseArgs } from 'node:util';
import { DomainError } from '../../common/errors';
import type { SourceEntity } from '../../sources/source.entity';
import { SourcesService } from '../../sources/sources.service';
import { CliExit, Command, out, withContext } from '../command';

const FIELD_OPTIONS = {
  name: { type: 'string' },
  kind: { type: 'string' },
  'base-url': { type: 'string' },
  query: { type: 'string', multiple: true },
  cron: { type: 'string' },
  every: { type: 'string' },
  'rate-limit': { type: 'string' },
  concurrency: { type: 'string' },
  'page-limit': { type: 'string' },
  config: { type: 'string' },
  disabled: { type: 'boolean' },
} as const;

function num(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new CliExit(2, `source: --${flag} must be a number`);
  return n;
}

function fieldsOf(args: string[]): { fields: Record<string, unknown>; positionals: string[] } {
  const { values: v, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: FIELD_OPTIONS,
  });
  let config: unknown;
  if (v.config !== undefined) {
    try {
      config = JSON.parse(v.config);
    } catch {
      throw new CliExit(2, 'source: --config must be JSON');
    }
  }
  const fields: Record<string, unknown> = {
    name: v.name,
    kind: v.kind,
    baseUrl: v['base-url'],
    queries: v.query,
    scheduleCron: v.cron,
    scheduleEveryMs: num('every', v.every),
    rateLimitPerMinute: num('rate-limit', v['rate-limit']),
    maxConcurrency: num('concurrency', v.concurrency),
    pageLimit: num('page-limit', v['page-limit']),
    config,
    enabled: v.disabled ? false : undefined,
  };
  return {
    fields: Object.fromEntries(Object.entries(fields).filter(([, x]) => x !== undefined)),
    positionals,
  };
}

const line = (s: SourceEntity): string =>
  `#${s.id} ${s.name} [${s.kind}] ${s.enabled ? 'enabled' : 'disabled'} ` +
  `${s.scheduleCron ? `cron "${s.scheduleCron}"` : s.scheduleEveryMs ? `every ${s.scheduleEveryMs} ms` : 'unscheduled'} ` +
  `base=${s.baseUrl ?? '-'} queries=${JSON.stringify(s.queries)} rate=${s.rateLimitPerMinute}/min pages<=${s.pageLimit}`;

function idArg(v: string | undefined): number {
  const n = Number(v);
  if (!v || !Number.isSafeInteger(n)) throw new CliExit(2, 'source: <id> must be a number');
  return n;
}

export const sourceCommand: Command = {
  usage:
    'source add|list|update|enable|disable|remove\n' +
    '  source list\n' +
    '  source add --name N --kind ebay-search|ebay-item|shopify|css [--base-url U] [--query Q]...\n' +
    '             [--cron "*/15 * * * *" | --every MS] [--rate-limit PER_MIN] [--concurrency N]\n' +
    '             [--page-limit N] [--config JSON] [--disabled]\n' +
    '  source update <id> [same options]   source enable|disable|remove <id>',
  async run(args, config) {
    const [sub, ...rest] = args;
    await withContext(config, async (app) => {
      const sources = app.get(SourcesService);
      try {
        switch (sub) {
          case 'list':
            for (const s of await sources.list()) out(line(s));
            return;
          case 'add':
            out(`added ${line(await sources.create(fieldsOf(rest).fields))}`);
            return;
          case 'update': {
            const { fields, positionals } = fieldsOf(rest);
            out(`updated ${line(await sources.update(idArg(positionals[0]), fields))}`);
            return;
          }
          case 'enable':
          case 'disable':
            out(line(await sources.setEnabled(idArg(rest[0]), sub === 'enable')));
            return;
          case 'remove':
            out(`removed ${line(await sources.remove(idArg(rest[0])))}`);
            return;
          default:
            throw new CliExit(2, `source: unknown subcommand "${sub ?? ''}"`);
        }
      } catch (error) {
        if (error instanceof DomainError) throw new CliExit(1, `source: ${error.message}`);
        throw error;
      }
    });
  },
};
