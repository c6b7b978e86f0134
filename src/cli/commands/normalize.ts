import { readFile } from 'node:fs/promises';
import { loadCatalogs } from '../../pricing/catalog/catalogs';
import { normalize } from '../../pricing/normalizer/normalize';
import { CliExit, Command, err, out } from '../command';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin)
    chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** A line is a plain title, or a JSON object with `title` (and optional attributes, description). */
function parseLine(
  line: string,
): { title: string; attributes?: Record<string, string>; description?: string } | string {
  const t = line.trim();
  if (!t.startsWith('{')) return { title: t };
  try {
    const o = JSON.parse(t) as Record<string, unknown>;
    if (typeof o.title !== 'string' || !o.title.trim()) return 'JSON line without a "title" string';
    const attrs = o.attributes;
    return {
      title: o.title,
      ...(attrs && typeof attrs === 'object' && !Array.isArray(attrs)
        ? {
            attributes: Object.fromEntries(
              Object.entries(attrs).filter((e): e is [string, string] => typeof e[1] === 'string'),
            ),
          }
        : {}),
      ...(typeof o.description === 'string' ? { description: o.description } : {}),
    };
  } catch {
    return { title: t };
  }
}

export const normalizeCommand: Command = {
  usage:
    'normalize [file]\n' +
    '  Normalizes titles (plain lines, or JSON lines with a "title") from the file or stdin and\n' +
    '  prints one JSON object per title. No database needed.',
  async run(args) {
    const file = args.find((a) => !a.startsWith('-'));
    let text: string;
    try {
      text = file && file !== '-' ? await readFile(file, 'utf8') : await readStdin();
    } catch (e) {
      throw new CliExit(1, `normalize: cannot read ${file}: ${(e as Error).message}`);
    }
    const catalogs = loadCatalogs();
    let bad = 0;
    for (const [i, line] of text.split(/\r?\n/).entries()) {
      if (!line.trim()) continue;
      const input = parseLine(line);
      if (typeof input === 'string') {
        bad++;
        err(`${file ?? 'stdin'}:${i + 1}: ${input}`);
        continue;
      }
      const s = normalize(input, catalogs);
      out(
        JSON.stringify({
          title: input.title,
          kind: s.kind,
          vendor: s.vendor,
          chassis: s.chassis,
          formFactor: s.formFactor,
          cpuModel: s.cpuModel,
          cpuCount: s.cpuCount,
          ramGb: s.ramGb,
          ramType: s.ramType,
          storageGb: s.storageGb,
          driveCount: s.driveCount,
          driveCapacityGb: s.driveCapacityGb,
          gpuModel: s.gpuModel,
          gpuCount: s.gpuCount,
          gpuMemoryGb: s.gpuMemoryGb,
          lotQuantity: s.lotQuantity,
          hints: s.hints,
          partNumbers: s.partNumbers,
          configKey: s.configKey,
          confidence: s.confidence,
          unrecognized: s.unrecognized,
          reasons: s.reasons,
        }),
      );
    }
    if (bad) throw new CliExit(1, `normalize: ${bad} line(s) rejected`);
  },
};
