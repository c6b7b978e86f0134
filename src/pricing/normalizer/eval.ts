/**
 * Scores the normalizer on hand-labelled titles (rules in shared/data/titles/LABELS.md):
 * model strings match when the label's tokens appear as a run of whole tokens in the output
 * (case-insensitive), numbers match exactly, null labels are not scored.
 *
 *   npm run eval:normalizer [-- path/to/labelled.jsonl]
 *   npm run eval:normalizer -- test/fixtures/titles/holdout.jsonl   (held-out titles)
 *
 * A relative path is read from the current directory, then from the project root.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { loadCatalogs, type Catalogs } from '../catalog/catalogs';
import { findProjectRoot } from '../catalog/keys';
import type { NormalizedSpecs } from '../types';
import { normalize } from './normalize';

export const STRING_FIELDS = ['chassis', 'cpuModel', 'gpuModel'] as const;
export const NUMBER_FIELDS = [
  'cpuCount',
  'ramGb',
  'gpuCount',
  'gpuMemoryGb',
  'driveCount',
  'driveCapacityGb',
] as const;
type Field = 'kind' | (typeof STRING_FIELDS)[number] | (typeof NUMBER_FIELDS)[number];

export interface LabelledTitle {
  title: string;
  kind: string;
  source?: string;
  [field: string]: unknown;
}

export interface Miss {
  title: string;
  field: Field;
  expected: unknown;
  got: unknown;
}

export interface EvalReport {
  titles: number;
  perField: Record<string, { scored: number; correct: number; accuracy: number }>;
  fieldAccuracy: number;
  kindAccuracy: number;
  misses: Miss[];
}

const splitTokens = (s: string): string[] => s.toLowerCase().split(/\s+/).filter(Boolean);

/** True when the label's tokens appear as a contiguous run of the output's tokens. */
export function modelMatches(label: string, output: string | null): boolean {
  if (output === null) return false;
  const want = splitTokens(label);
  const have = splitTokens(output);
  if (want.length === 0) return false;
  outer: for (let i = 0; i + want.length <= have.length; i++) {
    for (let k = 0; k < want.length; k++) if (have[i + k] !== want[k]) continue outer;
    return true;
  }
  return false;
}

export function parseLabelled(text: string): LabelledTitle[] {
  const rows: LabelledTitle[] = [];
  text.split(/\r?\n/).forEach((line, n) => {
    if (!line.trim()) return;
    const row = JSON.parse(line) as unknown;
    if (!row || typeof row !== 'object' || typeof (row as LabelledTitle).title !== 'string') {
      throw new Error(`line ${n + 1}: expected an object with a "title"`);
    }
    rows.push(row as LabelledTitle);
  });
  return rows;
}

export function evaluate(rows: LabelledTitle[], catalogs: Catalogs = loadCatalogs()): EvalReport {
  const fields: Field[] = ['kind', ...STRING_FIELDS, ...NUMBER_FIELDS];
  const perField: EvalReport['perField'] = {};
  for (const f of fields) perField[f] = { scored: 0, correct: 0, accuracy: 0 };
  const misses: Miss[] = [];
  for (const row of rows) {
    const out: NormalizedSpecs = normalize({ title: row.title }, catalogs);
    for (const f of fields) {
      const expected = row[f];
      if (expected === null || expected === undefined) continue;
      const got = out[f];
      const ok =
        f === 'kind'
          ? got === expected
          : typeof expected === 'string'
            ? modelMatches(expected, typeof got === 'string' ? got : null)
            : got === expected;
      const stat = perField[f]!;
      stat.scored++;
      if (ok) stat.correct++;
      else misses.push({ title: row.title, field: f, expected, got });
    }
  }
  let scored = 0;
  let correct = 0;
  for (const f of fields) {
    const s = perField[f]!;
    s.accuracy = s.scored ? s.correct / s.scored : 1;
    if (f !== 'kind') {
      scored += s.scored;
      correct += s.correct;
    }
  }
  return {
    titles: rows.length,
    perField,
    fieldAccuracy: scored ? correct / scored : 1,
    kindAccuracy: perField.kind!.accuracy,
    misses,
  };
}

export function defaultLabelledPath(): string {
  return join(
    findProjectRoot(__dirname, existsSync),
    '..',
    'shared',
    'data',
    'titles',
    'labelled.jsonl',
  );
}

/** Held-out titles written apart from labelled.jsonl (test/fixtures/titles/README.md). */
export function defaultHoldoutPath(): string {
  return join(
    findProjectRoot(__dirname, existsSync),
    'test',
    'fixtures',
    'titles',
    'holdout.jsonl',
  );
}

function resolveInput(arg: string | undefined): string {
  if (arg === undefined || arg === '') return defaultLabelledPath();
  if (isAbsolute(arg) || existsSync(resolve(arg))) return resolve(arg);
  return join(findProjectRoot(__dirname, existsSync), arg);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

export function main(argv: string[]): void {
  const path = resolveInput(argv[0]);
  if (!existsSync(path)) throw new Error(`labelled titles not found at ${path}`);
  const report = evaluate(parseLabelled(readFileSync(path, 'utf8')));
  const lines = [`file: ${path}`, `titles: ${report.titles}`];
  for (const [f, s] of Object.entries(report.perField)) {
    lines.push(
      `  ${f.padEnd(16)} ${String(s.correct).padStart(4)}/${String(s.scored).padEnd(4)} ${pct(s.accuracy)}`,
    );
  }
  lines.push(`field accuracy (excluding kind): ${pct(report.fieldAccuracy)}`);
  lines.push(`kind accuracy: ${pct(report.kindAccuracy)}`);
  lines.push(`misses: ${report.misses.length}`);
  for (const m of report.misses) {
    lines.push(
      `  [${m.field}] expected ${JSON.stringify(m.expected)} got ${JSON.stringify(m.got)} :: ${m.title}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`eval failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
