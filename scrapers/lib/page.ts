import { formatZodIssues, rawListingSchema, type RawListing } from '../../src/listings/raw-listing';
import type { ParsedPage } from '../types';

export type Skipped = ParsedPage['skipped'][number];

const LIMITS = {
  title: 2000,
  url: 2000,
  imageUrl: 2000,
  condition: 200,
  seller: 200,
  location: 200,
  timeLeft: 100,
  description: 20000,
} as const;

/**
 * The last step of every parser: clamp long strings, drop duplicate ids (first wins), and keep
 * only listings that pass rawListingSchema. Everything dropped lands in `skipped` with the reason.
 */
export function finalizeListings(
  candidates: RawListing[],
  skipped: Skipped[],
): { listings: RawListing[]; skipped: Skipped[] } {
  const seen = new Set<string>();
  const listings: RawListing[] = [];
  for (const candidate of candidates) {
    const listing = clamp(candidate);
    if (seen.has(listing.externalId)) {
      skipped.push({ reason: 'duplicate', detail: listing.externalId });
      continue;
    }
    const result = rawListingSchema.safeParse(listing);
    if (!result.success) {
      skipped.push({
        reason: 'invalid',
        detail: `${listing.externalId}: ${formatZodIssues(result.error)}`,
      });
      continue;
    }
    seen.add(listing.externalId);
    listings.push(result.data);
  }
  return { listings, skipped };
}

function clamp(listing: RawListing): RawListing {
  const out: RawListing = { ...listing };
  for (const [key, max] of Object.entries(LIMITS) as Array<[keyof typeof LIMITS, number]>) {
    const value = out[key];
    if (typeof value === 'string' && value.length > max) out[key] = value.slice(0, max);
  }
  if (out.attributes) {
    out.attributes = Object.fromEntries(
      Object.entries(out.attributes).filter(([k, v]) => k.trim() !== '' && v.trim() !== ''),
    );
  }
  return out;
}

/** Summaries like "placeholder x2, no-price x1" for logs and error messages. */
export function summarizeSkipped(skipped: Skipped[]): string {
  const counts = new Map<string, number>();
  for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${reason} x${n}`).join(', ');
}
