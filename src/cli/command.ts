import { INestApplicationContext } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { cliContext } from './context';

/** Exit codes: 0 ok, 1 failure or rejected input, 2 usage, 3 blocked page. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Command {
  /** First line: the synopsis; following lines: what it does. */
  usage: string;
  run(args: string[], config: AppConfig): Promise<void>;
}

export const out = (s: string): void => void process.stdout.write(`${s}\n`);
export const err = (s: string): void => void process.stderr.write(`${s}\n`);

/** Runs fn inside a Nest context (database, queues; processors only with worker: true). */
export async function withContext<T>(
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
