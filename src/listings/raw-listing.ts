import { z } from 'zod';

/**
 * What a scraper (or an operator's JSONL file) hands to ingest: one listing as the marketplace
 * shows it, before normalization. Scrapers produce these; the ingest job validates them.
 */
export const rawListingSchema = z.object({
  externalId: z.string().trim().min(1).max(200),
  title: z.string().trim().min(1).max(2000),
  url: z.string().max(2000).nullish(),
  /** Lowest price shown (low end of a range). null when the page shows none ("Best offer"). */
  price: z.number().finite().nonnegative().nullish(),
  /** High end of a price range ("$10 to $20" gives price 10, priceMax 20). */
  priceMax: z.number().finite().nonnegative().nullish(),
  /** ISO 4217 code. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
    .nullish(),
  /** Shipping cost in the listing currency: 0 for free, null when unknown. */
  shipping: z.number().finite().nonnegative().nullish(),
  condition: z.string().max(200).nullish(),
  buyingFormat: z.enum(['auction', 'buy_it_now', 'best_offer', 'fixed_price']).nullish(),
  bestOffer: z.boolean().nullish(),
  bids: z.number().int().nonnegative().nullish(),
  timeLeft: z.string().max(100).nullish(),
  endsAt: z.iso.datetime({ offset: true }).nullish(),
  seller: z.string().max(200).nullish(),
  location: z.string().max(200).nullish(),
  quantityAvailable: z.number().int().nonnegative().nullish(),
  /** active unless the page says the item ended or sold. */
  status: z.enum(['active', 'ended', 'sold']).nullish(),
  imageUrl: z.string().max(2000).nullish(),
  /** Structured facts from the source: eBay item specifics, Shopify tags/options, in any language. */
  attributes: z.record(z.string(), z.string()).nullish(),
  /** Body text that may hold specs (Shopify body_html as text). */
  description: z.string().max(20000).nullish(),
});

export type RawListing = z.infer<typeof rawListingSchema>;

export function formatZodIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}
