import { AppConfig } from './config/app-config';
import { ConfigError } from './config/env';
import { bootstrap } from './bootstrap';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = AppConfig.fromProcess();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`rackhound: ${e.message}\nSee .env.example for every variable.\n`);
      process.exit(2);
    }
    throw e;
  }
  try {
    await bootstrap(config);
  } catch (e) {
    process.stderr.write(`rackhound: cannot start: ${(e as Error).message}\n`);
    process.exit(1);
  }
}

void main();
