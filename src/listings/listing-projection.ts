import { type FieldNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';
import type { ListingViewColumn } from './listing-row';

/**
 * Which listing columns a `listings` query needs, from its selection set: a page of 50 full rows
 * (64 columns, jsonb specs and reasons, five timestamps) cost the API about 1 ms of parsing per
 * request where a typical query shows four fields. Fields map to the columns listing.mapper.ts
 * builds them from; a field this table does not know (added to the model later) makes the whole
 * view load, so a missing entry costs speed, never correctness.
 */

const SPEC_COLUMNS: readonly ListingViewColumn[] = [
  'kind',
  'vendor',
  'chassis',
  'form_factor',
  'cpu_model',
  'cpu_family',
  'cpu_count',
  'cores',
  'threads',
  'ram_gb',
  'storage_gb',
  'drive_count',
  'drive_capacity_gb',
  'gpu_model',
  'gpu_count',
  'gpu_memory_gb',
  'lot_quantity',
  'part_numbers',
  'config_key',
  'hints',
  'specs',
  'spec_confidence',
];

/** Listing fields (GraphQL names) to the columns they are built from. */
export const LISTING_FIELD_COLUMNS: Readonly<Record<string, readonly ListingViewColumn[]>> = {
  __typename: [],
  id: ['id'],
  sourceId: ['source_id'],
  source: ['source_id'],
  externalId: ['external_id'],
  title: ['title'],
  url: ['url'],
  condition: ['condition'],
  buyingFormat: ['buying_format'],
  bestOffer: ['best_offer'],
  bids: ['bids'],
  endsAt: ['ends_at'],
  seller: ['seller'],
  location: ['location'],
  currency: ['currency'],
  price: ['price'],
  priceMax: ['price_max'],
  shipping: ['shipping'],
  quantityAvailable: ['quantity_available'],
  status: ['status'],
  attributes: ['attributes'],
  imageUrl: ['image_url'],
  firstSeenAt: ['first_seen_at'],
  lastSeenAt: ['last_seen_at'],
  endedAt: ['ended_at'],
  specs: SPEC_COLUMNS,
  priceHistory: ['id'],
  // the baseline is looked up by specs.configKey and carries the listing's discount
  marketBaseline: [...SPEC_COLUMNS, 'discount_to_market'],
};

/** ListingMetrics fields to their columns. */
export const METRIC_FIELD_COLUMNS: Readonly<Record<string, readonly ListingViewColumn[]>> = {
  __typename: [],
  effectivePrice: ['effective_price'],
  cpuScore: ['cpu_score'],
  cpuScorePerDollar: ['cpu_score_per_dollar'],
  dollarsPerCore: ['dollars_per_core'],
  dollarsPerThread: ['dollars_per_thread'],
  dollarsPerGbRam: ['dollars_per_gb_ram'],
  dollarsPerTb: ['dollars_per_tb'],
  gpuFp32Tflops: ['gpu_fp32_tflops'],
  gpuFp16Tflops: ['gpu_fp16_tflops'],
  tflopsPerDollar: ['tflops_per_dollar'],
  dollarsPerGbVram: ['dollars_per_gb_vram'],
  estimatedWatts: ['estimated_watts'],
  annualEnergyCost: ['annual_energy_cost'],
  tco: ['tco'],
  breakEvenMonths: ['break_even_months'],
  discountToMarket: ['discount_to_market'],
  valuationVersion: ['valuation_version'],
  valuedAt: ['valued_at'],
  reasons: ['metric_reasons'],
};

type Fragments = GraphQLResolveInfo['fragments'];

/** Fields selected directly in these selection sets (through fragments), by response name. */
function selectedFields(sets: readonly SelectionSetNode[], fragments: Fragments): FieldNode[] {
  const out: FieldNode[] = [];
  const visit = (set: SelectionSetNode, seen: ReadonlySet<string>) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) out.push(s);
      else if (s.kind === Kind.INLINE_FRAGMENT) visit(s.selectionSet, seen);
      else {
        const f = fragments[s.name.value];
        if (f && !seen.has(s.name.value)) visit(f.selectionSet, new Set([...seen, s.name.value]));
      }
    }
  };
  for (const set of sets) visit(set, new Set());
  return out;
}

/** Selection sets of the fields called `name` among `fields`. */
function childSets(fields: readonly FieldNode[], name: string): SelectionSetNode[] {
  return fields.filter((f) => f.name.value === name && f.selectionSet).map((f) => f.selectionSet!);
}

/**
 * Columns of the listings the `listings` connection field selects under edges.node, or null
 * when the whole view is needed (a field not in the tables above). The id and the order column
 * are added by the repository in any case (cursors).
 */
export function listingColumnsForConnection(
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>,
): ListingViewColumn[] | null {
  const connection = info.fieldNodes
    .map((f) => f.selectionSet)
    .filter((s): s is SelectionSetNode => s !== undefined);
  const edges = childSets(selectedFields(connection, info.fragments), 'edges');
  const nodes = childSets(selectedFields(edges, info.fragments), 'node');
  return listingColumns(selectedFields(nodes, info.fragments), info.fragments);
}

function listingColumns(fields: readonly FieldNode[], fragments: Fragments) {
  const columns = new Set<ListingViewColumn>();
  for (const f of fields) {
    const name = f.name.value;
    if (name === 'metrics') {
      const metrics = selectedFields(f.selectionSet ? [f.selectionSet] : [], fragments);
      for (const m of metrics) {
        const cols = own(METRIC_FIELD_COLUMNS, m.name.value);
        if (!cols) return null;
        for (const c of cols) columns.add(c);
      }
      continue;
    }
    const cols = own(LISTING_FIELD_COLUMNS, name);
    if (!cols) return null;
    for (const c of cols) columns.add(c);
  }
  return [...columns];
}

function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
