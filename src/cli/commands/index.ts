import type { Command } from '../command';
import { createApiKeyCommand, revokeApiKeyCommand } from './api-keys';
import { ingestFileCommand } from './ingest-file';
import { normalizeCommand } from './normalize';
import { valueCommand } from './value';
import { inventoryCheckCommand, inventoryExpireCommand } from './inventory';
import { parseCommand } from './parse';
import { scrapeCommand } from './scrape';
import { sourceCommand } from './source';

/** Every operator command. Add a command: write commands/<name>.ts and list it here. */
export const commands: Record<string, Command> = {
  'ingest-file': ingestFileCommand,
  normalize: normalizeCommand,
  value: valueCommand,
  'create-api-key': createApiKeyCommand,
  'revoke-api-key': revokeApiKeyCommand,
  'inventory-check': inventoryCheckCommand,
  'inventory-expire': inventoryExpireCommand,
  parse: parseCommand,
  scrape: scrapeCommand,
  source: sourceCommand,
};
