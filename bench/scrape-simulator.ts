/**
 * Child process for `bench scrape`: serves the marketplace simulator outside the measured worker,
 * so the worker's CPU, event loop and RSS are the scraper's alone (in the same process, rendering
 * every page and the garbage of doing so counted as the scraper's). Args: <seed> <items>.
 * Sends { url, activeListings } once listening; closes on 'close' or when the parent goes away.
 */
import { startSimulator } from '../scrapers/simulator/server';

export interface SimulatorReady {
  url: string;
  /** What an empty query matches: every active listing. */
  activeListings: number;
}

async function main(): Promise<void> {
  const [seed, items] = process.argv.slice(2).map(Number);
  const sim = await startSimulator({ port: 0, seed: seed ?? 1, items: items ?? 2000 });
  let closing = false;
  const close = (): void => {
    if (closing) return;
    closing = true;
    void sim.close().finally(() => process.exit(0));
  };
  process.on('disconnect', close);
  process.on('message', (message) => {
    if (message === 'close') close();
  });
  const ready: SimulatorReady = { url: sim.url, activeListings: sim.catalog.search('').length };
  process.send?.(ready);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `scrape-simulator: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
