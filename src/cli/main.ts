import { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/env';
import { CliExit, err, out } from './command';
import { commands } from './commands';

function usage(): string {
  return [
    'usage: npm run cli -- <command> [args]',
    '',
    ...Object.values(commands).map((c) => `  ${c.usage.replace(/\n/g, '\n  ')}`),
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
