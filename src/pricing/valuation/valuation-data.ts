import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CloudPriceTable, parseCloudPriceTable } from './cloud';
import { FxTable } from './fx';
import { type ValuationSettings, parseValuationSettings } from './settings';

/**
 * Boot-time loading of the valuation data files (the only I/O of the valuation module):
 * data/fx/rates.json, data/cloud/{cpu,gpu}-instances.json, and optional settings overrides.
 * Throws one readable error naming the file when something is missing or malformed, so the app
 * refuses to start instead of valuing with half its inputs.
 */

export interface ValuationData {
  fx: FxTable;
  cloud: { cpu: CloudPriceTable; gpu: CloudPriceTable };
  settings: ValuationSettings;
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(
      `${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}

/**
 * @param dataDir the repository's data/ folder (default: ./data from the working directory)
 * @param settingsOverrides a (partial) settings object, e.g. the `settings` key of a JSON file
 */
export function loadValuationData(
  dataDir = resolve('data'),
  settingsOverrides: unknown = undefined,
): ValuationData {
  const s = parseValuationSettings(settingsOverrides);
  if (!s.ok) throw new Error(s.error);
  const ratesPath = join(dataDir, 'fx', 'rates.json');
  const fx = s.settings.fxRates
    ? FxTable.fromJson(s.settings.fxRates, 'settings.fxRates')
    : FxTable.fromJson(readJson(ratesPath), ratesPath);
  const cpuPath = join(dataDir, 'cloud', 'cpu-instances.json');
  const gpuPath = join(dataDir, 'cloud', 'gpu-instances.json');
  return {
    fx,
    cloud: {
      cpu: parseCloudPriceTable(readJson(cpuPath), cpuPath),
      gpu: parseCloudPriceTable(readJson(gpuPath), gpuPath),
    },
    settings: s.settings,
  };
}
