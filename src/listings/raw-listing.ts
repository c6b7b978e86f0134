import { z } from 'zod';

/**
 * NUL characters removed from the strings of a listing (one level deep, and in attribute keys and
 * values). PostgreSQL text cannot hold NUL, and a listing that carries one (pasted text can)
 * must not fail the batch it arrives in. Returns the input itself when it has none.
 */
function withoutNul(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  let copy: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    let clean = v;
    if (typeof v === 'string' && v.includes('\0')) clean = v.replaceAll('\0', '');
    else if (k === 'attributes' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (
        entries.some(
          ([ak, av]) => ak.includes('\0') || (typeof av === 'string' && av.includes('\0')),
        )
      ) {
        clean = Object.fromEntries(
          entries.map(([ak, av]) => [
            ak.replaceAll('\0', ''),
            typeof av === 'string' ? av.replaceAll('\0', '') : av,
          ]),
        );
      }
    }
    if (clean !== v) (copy ??= { ...value })[k] = clean;
  }
  return copy ?? value;
}

/** The largest amount the listing's numeric(14,2) money columns hold. */
const MAX_AMOUNT = 999_999_999_999.99;
/** PostgreSQL integer. */
const MAX_INT = 2_147_483_647;
const amount = () => z.number().finite().nonnegative().max(MAX_AMOUNT);

const rawListingObject = z.object({
  externalId: z.string().trim().min(1).max(200),
  title: z.string().trim().min(1).max(2000),
  url: z.string().max(2000).nullish(),
  /** Lowest price shown (low end of a range). null when the page shows none ("Best offer"). */
  price: amount().nullish(),
  /** High end of a price range ("$10 to $20" gives price 10, priceMax 20). */
  priceMax: amount().nullish(),
  /** ISO 4217 code. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
    .nullish(),
  /** Shipping cost in the listing currency: 0 for free, null when unknown. */
  shipping: amount().nullish(),
  condition: z.string().max(200).nullish(),
  buyingFormat: z.enum(['auction', 'buy_it_now', 'best_offer', 'fixed_price']).nullish(),
  bestOffer: z.boolean().nullish(),
  bids: z.number().int().nonnegative().max(MAX_INT).nullish(),
  timeLeft: z.string().max(100).nullish(),
  endsAt: z.iso.datetime({ offset: true }).nullish(),
  seller: z.string().max(200).nullish(),
  location: z.string().max(200).nullish(),
  quantityAvailable: z.number().int().nonnegative().max(MAX_INT).nullish(),
  /** active unless the page says the item ended or sold. */
  status: z.enum(['active', 'ended', 'sold']).nullish(),
  imageUrl: z.string().max(2000).nullish(),
  /** Structured facts from the source: eBay item specifics, Shopify tags/options, in any language. */
  attributes: z.record(z.string(), z.string()).nullish(),
  /** Body text that may hold specs (Shopify body_html as text). */
  description: z.string().max(20000).nullish(),
});

/**
 * What a scraper (or an operator's JSONL file) hands to ingest: one listing as the marketplace
 * shows it, before normalization. Scrapers produce these; the ingest job validates them.
 */
export const rawListingSchema = z.preprocess(withoutNul, rawListingObject);

export type RawListing = z.infer<typeof rawListingSchema>;

export function formatZodIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}
