import { parseArgs } from 'node:util';
import { ApiKeysService } from '../../auth/api-keys.service';
import { ROLES, Role } from '../../auth/roles';
import { CliExit, Command, out, withContext } from '../command';

export const createApiKeyCommand: Command = {
  usage:
    'create-api-key --role viewer|procurement|ops|admin [--name NAME]\n' +
    '  Creates an API key and prints it once (only its hash is stored).',
  async run(args, config) {
    const { values } = parseArgs({
      args,
      options: { role: { type: 'string' }, name: { type: 'string' } },
    });
    const role = values.role as Role | undefined;
    if (!role || !ROLES.includes(role)) {
      throw new CliExit(2, `create-api-key: --role must be one of ${ROLES.join(', ')}`);
    }
    await withContext(config, async (app) => {
      const { key, record } = await app
        .get(ApiKeysService)
        .create(role, values.name ?? `${role} key (cli)`);
      out(`created API key #${record.id} '${record.name}' with role ${record.role}`);
      out(`key (shown once, store it now): ${key}`);
      out(`use it as: Authorization: Bearer ${key}`);
    });
  },
};

export const revokeApiKeyCommand: Command = {
  usage: 'revoke-api-key <id>\n  Revokes an API key at once.',
  async run(args, config) {
    const id = Number(args[0]);
    if (!Number.isSafeInteger(id)) throw new CliExit(2, 'revoke-api-key: <id> must be a number');
    await withContext(config, async (app) => {
      const r = await app.get(ApiKeysService).revoke(id);
      out(`revoked API key #${r.id} '${r.name}'`);
    });
  },
};
