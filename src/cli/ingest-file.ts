import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { formatZodIssues, RawListing, rawListingSchema } from '../listings/raw-listing';

export interface LineError {
  line: number;
  reason: string;
}

export interface ReadResult {
  listings: RawListing[];
  errors: LineError[];
  lines: number;
}

/**
 * Reads JSON Lines of raw listings. Each bad line is reported with its number and reason;
 * good lines are kept. Blank lines and lines starting with # are ignored.
 */
export async function readListingsFile(path: string): Promise<ReadResult> {
  const listings: RawListing[] = [];
  const errors: LineError[] = [];
  const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    const trimmed = text.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (e) {
      errors.push({ line, reason: `invalid JSON (${(e as Error).message})` });
      continue;
    }
    const parsed = rawListingSchema.safeParse(value);
    if (parsed.success) listings.push(parsed.data);
    else errors.push({ line, reason: formatZodIssues(parsed.error) });
  }
  return { listings, errors, lines: line };
}
