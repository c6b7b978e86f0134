import { buildSchema, parse } from 'graphql';
import { DomainError } from '../common/errors';
import { enforceQueryLimits, queryCost } from './query-limits';

const schema = buildSchema(`
  type Item { id: ID! name: String }
  type Query { items(first: Int): [Item!]! }
`);

const limits = { maxDepth: 3, maxCost: 50 };

function refusal(run: () => void): Record<string, unknown> | null {
  try {
    run();
    return null;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { reason: e.reason, ...e.details };
  }
}

describe('enforceQueryLimits (measured once per parsed document)', () => {
  it('costs the same document differently for different variables', () => {
    const doc = parse(`query($n: Int) { items(first: $n) { id name } }`);
    expect(refusal(() => enforceQueryLimits(schema, doc, { n: 10 }, limits))).toBeNull();
    // same DocumentNode object (as Mercurius' cache hands it over), a larger page
    expect(refusal(() => enforceQueryLimits(schema, doc, { n: 100 }, limits))).toEqual({
      reason: 'QUERY_TOO_COSTLY',
      cost: queryCost(schema, doc, { n: 100 }),
      maxCost: 50,
    });
    // and the earlier variables still pass
    expect(refusal(() => enforceQueryLimits(schema, doc, { n: 10 }, limits))).toBeNull();
  });

  it('refuses a repeated deep document every time', () => {
    const doc = parse(`{ items { id } }`);
    const deep = { maxDepth: 1, maxCost: 50 };
    for (let i = 0; i < 3; i++) {
      expect(refusal(() => enforceQueryLimits(schema, doc, undefined, deep))).toMatchObject({
        reason: 'QUERY_TOO_DEEP',
        depth: 2,
      });
    }
  });

  it('keeps answering correctly past the number of variable sets it remembers', () => {
    const doc = parse(`query($n: Int) { items(first: $n) { id } }`);
    for (let n = 1; n <= 200; n++) {
      const refused = refusal(() => enforceQueryLimits(schema, doc, { n }, limits)) !== null;
      expect([n, refused]).toEqual([n, queryCost(schema, doc, { n }) > 50]);
    }
  });
});
