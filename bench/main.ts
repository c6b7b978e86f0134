/**
 * Benchmark dispatcher: `npm run bench -- <name> [args]` runs bench/<name>.ts's `run(args)`.
 * Benches are imported lazily so one bench's dependencies never slow another's start.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface Bench {
  run(args: string[]): Promise<void>;
}

/** Files of this folder that define `run` (helpers such as support.ts are not benches). */
function available(): string[] {
  return readdirSync(__dirname)
    .filter((f) => /\.(ts|js)$/.test(f) && !/\.d\.ts$/.test(f) && !/^main\./.test(f))
    .filter((f) => /\bfunction run\s*\(/.test(readFileSync(join(__dirname, f), 'utf8')))
    .map((f) => f.replace(/\.(ts|js)$/, ''))
    .filter((n, i, all) => all.indexOf(n) === i)
    .sort();
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const names = available();
  if (!name || !/^[a-z0-9-]+$/.test(name) || !names.includes(name)) {
    process.stderr.write(
      `${name ? `unknown bench '${name}'\n` : ''}usage: npm run bench -- <name> [args]\navailable: ${names.join(', ')}\n`,
    );
    return 2;
  }
  const mod = (await import(`./${name}`)) as Partial<Bench>;
  if (typeof mod.run !== 'function') {
    process.stderr.write(`bench/${name} does not export run(args)\n`);
    return 2;
  }
  await mod.run(args);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
