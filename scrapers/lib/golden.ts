import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import type { ParsedPage, ScraperSource } from '../types';

/**
 * Golden files for parser specs: test/fixtures/golden/<page>.json holds the hand-checked output
 * of parsing test/fixtures/pages/<folder>/<page>.html. Regenerate with UPDATE_GOLDEN=1 (then
 * review the diff by hand before committing).
 */
const FIXTURES = join(__dirname, '../../test/fixtures');

export function readFixturePage(relativePath: string): string {
  return readFileSync(join(FIXTURES, 'pages', relativePath), 'utf8');
}

export function goldenPath(pageName: string): string {
  return join(FIXTURES, 'golden', `${pageName}.json`);
}

/** The stored golden output; writes it first when UPDATE_GOLDEN=1. */
export function golden(pageName: string, actual: ParsedPage): unknown {
  const path = goldenPath(pageName);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(actual, null, 2)}\n`);
  }
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

export function testSource(overrides: Partial<ScraperSource> = {}): ScraperSource {
  return {
    id: 1,
    name: 'test',
    kind: 'ebay-search',
    baseUrl: null,
    pageLimit: 5,
    config: {},
    ...overrides,
  };
}
