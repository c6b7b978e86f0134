import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BlockedError, isScrapeError } from '../../../scrapers/errors';
import { isScrapableKind, parsePage, scrapers } from '../../../scrapers/registry';
import { CliExit, Command, err, out } from '../command';

export const parseCommand: Command = {
  usage:
    `parse <kind> <file> [--url URL] [--config JSON]\n` +
    `  Parses a saved page (kinds: ${Object.keys(scrapers).join(', ')}) and prints one JSON object\n` +
    '  per listing. No database needed. Exit 3 on a blocked page (bot wall, captcha, login).',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { url: { type: 'string' }, config: { type: 'string' } },
    });
    const [kind, file] = positionals;
    if (!kind || !file) throw new CliExit(2, 'parse: usage: parse <kind> <file>');
    if (!isScrapableKind(kind)) {
      throw new CliExit(
        2,
        `parse: unknown kind "${kind}" (known: ${Object.keys(scrapers).join(', ')})`,
      );
    }
    let config: Record<string, unknown> = {};
    if (values.config) {
      try {
        config = JSON.parse(values.config) as Record<string, unknown>;
      } catch {
        throw new CliExit(2, 'parse: --config must be a JSON object');
      }
    }
    let body: string;
    try {
      body = await readFile(file, 'utf8');
    } catch (error) {
      throw new CliExit(
        1,
        `parse: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
    const url = values.url ?? `file://${path.resolve(file)}`;
    try {
      const page = parsePage(kind, body, url, { config });
      for (const l of page.listings) {
        const {
          externalId,
          title,
          price,
          priceMax,
          currency,
          shipping,
          condition,
          url: u,
          ...rest
        } = l;
        const head = { externalId, title, price, priceMax, currency, shipping, condition, url: u };
        // The core fields always appear (null when the page does not say), the rest when known.
        out(
          JSON.stringify({
            ...Object.fromEntries(Object.entries(head).map(([k, v]) => [k, v ?? null])),
            ...rest,
          }),
        );
      }
      err(
        `${page.listings.length} listing(s)` +
          (page.skipped.length ? `, ${page.skipped.length} skipped` : '') +
          (page.nextPageUrl ? `; next page: ${page.nextPageUrl}` : ''),
      );
    } catch (error) {
      if (error instanceof BlockedError) {
        throw new CliExit(3, `parse: blocked page (${error.reason}): ${error.evidence}`);
      }
      if (isScrapeError(error)) throw new CliExit(1, `parse: ${error.message.split('\n')[0]}`);
      throw error;
    }
  },
};
