import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  Kind,
  type OperationDefinitionNode,
  buildSchema,
  parse,
} from 'graphql';
import { projectRoot } from '../common/project-root';
import {
  LISTING_FIELD_COLUMNS,
  METRIC_FIELD_COLUMNS,
  listingColumnsForConnection,
} from './listing-projection';

/** The resolve info of the first root field of `query`, as far as the projection reads it. */
function infoOf(query: string) {
  const doc = parse(query);
  const op = doc.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const root = op.selectionSet.selections[0]!;
  if (root.kind !== Kind.FIELD) throw new Error('root selection must be a field');
  return { fieldNodes: [root], fragments };
}

const columns = (query: string) => {
  const c = listingColumnsForConnection(infoOf(query));
  return c === null ? null : [...c].sort();
};

describe('listingColumnsForConnection', () => {
  it('reads only the columns of the selected fields', () => {
    expect(
      columns(
        `{ listings(first: 5) { edges { node { id title price metrics { cpuScorePerDollar } } } } }`,
      ),
    ).toEqual(['cpu_score_per_dollar', 'id', 'price', 'title']);
  });

  it('follows fragments and inline fragments, and merges repeated fields', () => {
    expect(
      columns(`query {
        listings(first: 5) {
          ...E
          edges { node { ... on Listing { url } metrics { tco } } }
        }
      }
      fragment E on ListingConnection { edges { node { ...N } } }
      fragment N on Listing { title metrics { reasons { metric } } }`),
    ).toEqual(['metric_reasons', 'tco', 'title', 'url']);
  });

  it('reads the spec columns for specs and the market baseline', () => {
    const specs = columns(`{ listings(first: 1) { edges { node { specs { cores } } } } }`)!;
    expect(specs).toEqual(expect.arrayContaining(['specs', 'kind', 'config_key', 'cores']));
    const baseline = columns(
      `{ listings(first: 1) { edges { node { marketBaseline { median discountToMarket } } } } }`,
    )!;
    expect(baseline).toEqual(expect.arrayContaining(['specs', 'config_key', 'discount_to_market']));
  });

  it('needs no listing column when no node field is selected', () => {
    expect(columns(`{ listings(first: 3) { pageInfo { endCursor } totalCount } }`)).toEqual([]);
  });

  it('reads the whole view for a field it does not know', () => {
    expect(columns(`{ listings(first: 1) { edges { node { id someNewField } } } }`)).toBeNull();
    expect(
      columns(`{ listings(first: 1) { edges { node { metrics { newMetric } } } } }`),
    ).toBeNull();
    expect(columns(`{ listings(first: 1) { edges { node { constructor } } } }`)).toBeNull();
  });

  it('knows every field of Listing and ListingMetrics in the committed schema', () => {
    const schema = buildSchema(readFileSync(join(projectRoot(), 'schema.gql'), 'utf8'));
    const fields = (name: string) =>
      Object.keys((schema.getType(name) as GraphQLObjectType).getFields()).sort();
    expect(fields('Listing').filter((f) => !(f in LISTING_FIELD_COLUMNS))).toEqual(['metrics']);
    expect(fields('ListingMetrics').filter((f) => !(f in METRIC_FIELD_COLUMNS))).toEqual([]);
  });
});
