import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  Kind,
  type SelectionSetNode,
  getNamedType,
  isLeafType,
} from 'graphql';
import { type ComplexityEstimatorArgs, getComplexity } from 'graphql-query-complexity';
import { DomainError } from '../common/errors';

/**
 * Cost of fields that run more than a lookup (aggregates, planners). Other object fields cost 1,
 * scalars 0; a field with `first` or `last` multiplies its selection by that many items.
 */
export const FIELD_COSTS: Readonly<Record<string, number>> = {
  'ListingConnection.totalCount': 10,
  'Query.planFleetNeed': 100,
  'Query.marketStats': 20,
  'Query.fleetNeeds': 10,
};

export function costEstimator({ type, field, args, childComplexity }: ComplexityEstimatorArgs) {
  const own =
    FIELD_COSTS[`${type.name}.${field.name}`] ?? (isLeafType(getNamedType(field.type)) ? 0 : 1);
  const size = listSize(args);
  return size === null ? own + childComplexity : own + size * Math.max(childComplexity, 1);
}

function listSize(args: Record<string, unknown>): number | null {
  for (const name of ['first', 'last']) {
    const v = args[name];
    if (typeof v === 'number' && Number.isFinite(v)) return Math.max(0, v);
  }
  return null;
}

export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string,
): number {
  return getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    operationName,
    estimators: [costEstimator],
  });
}

/**
 * Deepest field nesting of the document's operations, following fragments (each fragment
 * counted once per path, cycles cut). Introspection fields (`__schema`, `__type`) are not counted:
 * their cost is bounded by the schema and IDEs send deep introspection queries.
 */
export function queryDepth(document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  }
  const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
    if (!set) return 0;
    let max = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value.startsWith('__')) continue;
        max = Math.max(max, s.selectionSet ? 1 + depthOf(s.selectionSet, seen) : 1);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        max = Math.max(max, depthOf(s.selectionSet, seen));
      } else {
        const name = s.name.value;
        const f = fragments.get(name);
        if (!f || seen.has(name)) continue;
        max = Math.max(max, depthOf(f.selectionSet, new Set([...seen, name])));
      }
    }
    return max;
  };
  let depth = 0;
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION)
      depth = Math.max(depth, depthOf(d.selectionSet, new Set()));
  }
  return depth;
}

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
}

/** Measured depth and costs (by variables) of one parsed document. */
interface Measured {
  depth: number;
  costs: Map<string, number>;
}

/** Variable sets remembered per document; past this the document's entries start over. */
const MAX_COSTS_PER_DOCUMENT = 64;

/**
 * Depth and cost per schema and document object. Mercurius keeps parsed documents in its LRU
 * cache, so a repeated query arrives as the same DocumentNode and is walked once (the cost walk
 * was ~4% of the API's CPU under load). Cost also depends on the variables (first/last,
 * @skip/@include), so it is keyed by their JSON. Weak keys: documents evicted by Mercurius go.
 */
const measured = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Measured>>();

function measure(schema: GraphQLSchema, document: DocumentNode): Measured {
  let bySchema = measured.get(schema);
  if (!bySchema) {
    bySchema = new WeakMap();
    measured.set(schema, bySchema);
  }
  let m = bySchema.get(document);
  if (!m) {
    m = { depth: queryDepth(document), costs: new Map() };
    bySchema.set(document, m);
  }
  return m;
}

function cachedCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  m: Measured,
): number {
  const key = JSON.stringify(variables ?? {});
  let cost = m.costs.get(key);
  if (cost === undefined) {
    cost = queryCost(schema, document, variables);
    if (m.costs.size >= MAX_COSTS_PER_DOCUMENT) m.costs.clear();
    m.costs.set(key, cost);
  }
  return cost;
}

/** Throws QUERY_TOO_COMPLEX (with the computed depth or cost) before anything executes. */
export function enforceQueryLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  limits: QueryLimits,
): void {
  const m = measure(schema, document);
  const depth = m.depth;
  if (depth > limits.maxDepth) {
    throw new DomainError(
      'QUERY_TOO_COMPLEX',
      `query depth ${depth} exceeds the maximum of ${limits.maxDepth}`,
      'QUERY_TOO_DEEP',
      { depth, maxDepth: limits.maxDepth },
    );
  }
  const cost = cachedCost(schema, document, variables, m);
  if (cost > limits.maxCost) {
    throw new DomainError(
      'QUERY_TOO_COMPLEX',
      `query cost ${cost} exceeds the maximum of ${limits.maxCost}: ask for fewer items (first/last) or fewer fields`,
      'QUERY_TOO_COSTLY',
      { cost, maxCost: limits.maxCost },
    );
  }
}
