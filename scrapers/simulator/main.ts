/**
 * `npm run simulator`: runs the marketplace simulator in the foreground for demos and manual runs.
 *
 *   node dist/scrapers/simulator/main.js [--port 4010] [--seed 1] [--items 600]
 *        [--markup scard|sitem] [--tick-minutes N] [--tick-hours H] [--quiet]
 *
 * SIMULATOR_PORT sets the port when --port is absent. With --tick-minutes N the simulated clock
 * moves forward every N real minutes (by --tick-hours, default 1 simulated hour per tick).
 */
import { AppConfig } from '../../src/config/app-config';
import { startSimulator, type Simulator } from './server';

interface CliOptions {
  port: number;
  seed: number;
  items: number;
  markup: 'scard' | 'sitem';
  tickMinutes: number | null;
  tickHours: number;
  quiet: boolean;
}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): CliOptions {
  const opts: CliOptions = {
    port: 4010,
    seed: 1,
    items: 600,
    markup: 'scard',
    tickMinutes: null,
    tickHours: 1,
    quiet: false,
  };
  const num = (
    flag: string,
    raw: string | undefined,
    min: number,
    max: number,
    integer = true,
  ): number => {
    const n = Number(raw);
    if (
      raw === undefined ||
      raw.trim() === '' ||
      !Number.isFinite(n) ||
      n < min ||
      n > max ||
      (integer && !Number.isInteger(n))
    ) {
      throw new Error(
        `${flag} needs ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${raw ?? '(nothing)'}`,
      );
    }
    return n;
  };
  if (env.SIMULATOR_PORT !== undefined && env.SIMULATOR_PORT !== '') {
    opts.port = num('SIMULATOR_PORT', env.SIMULATOR_PORT, 0, 65535);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--port':
        opts.port = num('--port', value(), 0, 65535);
        break;
      case '--seed':
        opts.seed = num('--seed', value(), -2_147_483_648, 2_147_483_647);
        break;
      case '--items':
        opts.items = num('--items', value(), 0, 200_000);
        break;
      case '--markup': {
        const m = value();
        if (m !== 'scard' && m !== 'sitem')
          throw new Error(`--markup must be scard or sitem, got ${m ?? '(nothing)'}`);
        opts.markup = m;
        break;
      }
      case '--tick-minutes':
        opts.tickMinutes = num('--tick-minutes', value(), 0.05, 1440, false);
        break;
      case '--tick-hours':
        opts.tickHours = num('--tick-hours', value(), 0.01, 720, false);
        break;
      case '--quiet':
        opts.quiet = true;
        break;
      case '--help':
      case '-h':
        throw new Error('usage');
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  return opts;
}

const USAGE =
  'usage: npm run simulator -- [--port 4010] [--seed 1] [--items 600] [--markup scard|sitem] [--tick-minutes N] [--tick-hours H] [--quiet]\n' +
  '       (SIMULATOR_PORT sets the port when --port is absent)';

async function main(): Promise<void> {
  let opts: CliOptions;
  try {
    // Config is read and validated in src/config only.
    opts = parseArgs(process.argv.slice(2), {
      SIMULATOR_PORT: String(AppConfig.fromProcess().env.SIMULATOR_PORT),
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(message === 'usage' ? `${USAGE}\n` : `simulator: ${message}\n${USAGE}\n`);
    process.exitCode = message === 'usage' ? 0 : 2;
    return;
  }
  let sim: Simulator;
  try {
    sim = await startSimulator({
      port: opts.port,
      seed: opts.seed,
      items: opts.items,
      markup: opts.markup,
      log: opts.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`simulator: could not start on port ${opts.port}: ${message}\n`);
    process.exitCode = 1;
    return;
  }
  const s = sim.state();
  const u = sim.url;
  process.stdout.write(
    [
      `Rackhound marketplace simulator on ${u} (seed ${opts.seed}, ${s.items.total} listings, ${s.shopProducts} shop products, clock ${s.clock})`,
      'Try:',
      `  eBay search (s-card):  ${u}/sch/i.html?_nkw=dell+r740xd`,
      `  eBay search (s-item):  ${u}/sch/i.html?_nkw=tesla+v100&_markup=sitem&_ipg=60`,
      `  eBay item page:        ${u}/itm/${sim.catalog.all()[0]?.id ?? '<id>'}`,
      `  Shopify products:      ${u}/shop/products.json?page=1&limit=30`,
      `  robots.txt:            ${u}/robots.txt`,
      `  state:                 curl ${u}/__sim/state`,
      `  advance time:          curl -X POST '${u}/__sim/advance?hours=6'`,
      `  inject a fault:        curl -X POST ${u}/__sim/fault -d '{"route":"^/sch/","type":"botwall","times":2}'`,
      `  clear faults / reset:  curl -X DELETE ${u}/__sim/fault ; curl -X POST ${u}/__sim/reset`,
      opts.tickMinutes !== null
        ? `Clock ticks ${opts.tickHours} simulated hour(s) every ${opts.tickMinutes} minute(s).`
        : 'Clock is still; pass --tick-minutes N to move it automatically.',
      '',
    ].join('\n'),
  );

  let tick: NodeJS.Timeout | null = null;
  if (opts.tickMinutes !== null) {
    tick = setInterval(() => {
      const st = sim.advance(opts.tickHours);
      process.stdout.write(
        `tick: clock ${st.clock}, ${st.items.active} active, ${st.items.sold} sold, ${st.items.ended} ended\n`,
      );
    }, opts.tickMinutes * 60_000);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    if (tick) clearInterval(tick);
    process.stdout.write(`\n${signal}: stopping simulator\n`);
    sim.close().then(
      () => {
        process.exitCode = 0;
      },
      (err: unknown) => {
        process.stderr.write(
          `simulator: close failed: ${err instanceof Error ? err.message : String(err)}\n`,
        );
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  void main();
}
