import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { parseCssConfig } from '../../scrapers/css';
import { isScrapeError } from '../../scrapers/errors';
import { getScraper, isScrapableKind } from '../../scrapers/registry';
import { badInput } from '../common/errors';
import { formatZodIssues } from '../listings/raw-listing';
import { SOURCE_KINDS, type SourceEntity } from './source.entity';

const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

const cron = z
  .string()
  .trim()
  .max(200)
  .refine((v) => {
    try {
      CronExpressionParser.parse(v);
      return true;
    } catch {
      return false;
    }
  }, 'must be a cron expression such as "*/15 * * * *"');

/** Every field an operator may set on a source; all optional on update. */
export const sourceFieldsSchema = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(SOURCE_KINDS),
  baseUrl: httpUrl.nullish(),
  queries: z.array(z.string().trim().max(500)).max(100),
  scheduleCron: cron.nullish(),
  /** Interval between runs; at least 10 seconds. */
  scheduleEveryMs: z.number().int().min(10_000).max(2_000_000_000).nullish(),
  rateLimitPerMinute: z.number().int().min(1).max(6000),
  maxConcurrency: z.number().int().min(1).max(32),
  pageLimit: z.number().int().min(1).max(1000),
  config: z.record(z.string(), z.unknown()),
  enabled: z.boolean(),
});

export type SourceFields = z.infer<typeof sourceFieldsSchema>;
export const createSourceSchema = sourceFieldsSchema.partial().required({ name: true, kind: true });
export type CreateSourceFields = z.infer<typeof createSourceSchema>;
export const updateSourceSchema = sourceFieldsSchema.partial();
export type UpdateSourceFields = z.infer<typeof updateSourceSchema>;

export function parseSourceInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) throw badInput(`invalid source: ${formatZodIssues(r.error)}`);
  return r.data;
}

/**
 * Checks the merged row as a whole: one schedule at most, and every query turns into a first-page
 * URL for its kind (a shopify source needs its shop origin, an ebay-item query an item id...).
 */
export function validateSourceRow(row: Omit<SourceEntity, 'id' | 'createdAt' | 'updatedAt'>): void {
  if (row.scheduleCron && row.scheduleEveryMs) {
    throw badInput('invalid source: set scheduleCron or scheduleEveryMs, not both');
  }
  if (!isScrapableKind(row.kind)) return;
  if (row.kind === 'css') {
    try {
      parseCssConfig(row.config, row.name);
    } catch (error) {
      throw badInput(`invalid source: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const scraper = getScraper(row.kind);
  const queries = queriesOf(row);
  for (const q of queries) {
    try {
      scraper.firstPageUrl({ id: 0, ...row }, q);
    } catch (error) {
      const message =
        isScrapeError(error) || error instanceof Error ? error.message : String(error);
      throw badInput(`invalid source: query "${q}": ${message}`);
    }
  }
}

/** The queries a run covers: a shopify source with none scrapes the whole shop (''). */
export function queriesOf(row: Pick<SourceEntity, 'kind' | 'queries'>): string[] {
  const qs = row.queries.map((q) => q.trim()).filter((q) => q !== '');
  if (qs.length === 0 && row.kind === 'shopify') return [''];
  return [...new Set(qs)];
}
