import type { Command } from '../command';
import { createApiKeyCommand, revokeApiKeyCommand } from './api-keys';
import { ingestFileCommand } from './ingest-file';

/** Every operator command. Add a command: write commands/<name>.ts and list it here. */
export const commands: Record<string, Command> = {
  'ingest-file': ingestFileCommand,
  'create-api-key': createApiKeyCommand,
  'revoke-api-key': revokeApiKeyCommand,
};
