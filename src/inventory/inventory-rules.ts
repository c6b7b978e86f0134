import { createHash } from 'node:crypto';
import { DomainError, badInput } from '../common/errors';

/**
 * Pure rules of the inventory: how part numbers and chassis names compare, how a site-wide
 * reservation is spread over locations, quantities, durations and request fingerprints.
 */

/** The key a part number is looked up by: upper case, letters and digits only. */
export function partKey(partNumber: string): string {
  return partNumber
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

/**
 * Spellings a part number appears under in marketplace titles: as given, without separators,
 * and for Dell-style 6-character numbers with a leading 0 (0J4Y7V) also without it (J4Y7V),
 * because sellers drop the 0 as often as they keep it.
 */
export function partNumberVariants(partNumber: string): string[] {
  const upper = partNumber.normalize('NFKC').toUpperCase().trim();
  const key = partKey(upper);
  const out = new Set<string>();
  if (upper) out.add(upper);
  if (key) out.add(key);
  if (/^0[A-Z0-9]{5}$/.test(key) && /[A-Z]/.test(key)) out.add(key.slice(1));
  if (/^[A-Z0-9]{5}$/.test(key) && /[A-Z]/.test(key) && /\d/.test(key)) out.add(`0${key}`);
  return [...out].filter((v) => v.length >= 4);
}

const CHASSIS_NOISE =
  /\b(dell|emc|poweredge|hpe?|hewlett|packard|enterprise|proliant|lenovo|thinksystem|supermicro|superserver|cisco|ucs|server)\b/g;

/**
 * A chassis name reduced to what identifies the model: "Dell PowerEdge R740xd" -> "r740xd",
 * "HPE ProLiant DL380 G10" and "DL380 Gen10" -> "dl380gen10".
 */
export function chassisKey(chassis: string): string {
  return chassis
    .normalize('NFKC')
    .toLowerCase()
    .replace(CHASSIS_NOISE, ' ')
    .replace(/\bg(?:en)?\s*(\d{1,2})\b/g, 'gen$1')
    .replace(/[^a-z0-9]/g, '');
}

export const MAX_QUANTITY = 100_000;

/** A quantity must be a whole number of units, at least 1. */
export function checkQuantity(quantity: number, field = 'quantity'): number {
  if (typeof quantity !== 'number' || !Number.isFinite(quantity)) {
    throw new DomainError('BAD_USER_INPUT', `${field} must be a number`, 'QUANTITY_INVALID', {
      field,
    });
  }
  if (!Number.isInteger(quantity)) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `${field} must be a whole number of units, got ${quantity}`,
      'QUANTITY_NOT_INTEGER',
      { field, quantity },
    );
  }
  if (quantity <= 0) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `${field} must be at least 1, got ${quantity}`,
      'QUANTITY_NOT_POSITIVE',
      { field, quantity },
    );
  }
  if (quantity > MAX_QUANTITY) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `${field} must be at most ${MAX_QUANTITY}, got ${quantity}`,
      'QUANTITY_TOO_LARGE',
      { field, quantity },
    );
  }
  return quantity;
}

/** A signed, non-zero whole adjustment (stock counted up or down). */
export function checkDelta(delta: number): number {
  if (!Number.isInteger(delta)) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `delta must be a whole number of units, got ${delta}`,
      'QUANTITY_NOT_INTEGER',
      { field: 'delta', quantity: delta },
    );
  }
  if (delta === 0) {
    throw new DomainError('BAD_USER_INPUT', 'delta must not be 0', 'QUANTITY_NOT_POSITIVE', {
      field: 'delta',
    });
  }
  checkQuantity(Math.abs(delta), 'delta');
  return delta;
}

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/**
 * A duration such as "72h", "30m", "90s", "2d", "1.5h" or an ISO 8601 duration such as
 * "PT4H" / "P2D", in milliseconds. Refuses anything else, zero and negatives.
 */
export function parseDuration(text: string, field = 'expiresIn'): number {
  const t = text.trim();
  let ms: number | null = null;
  const simple =
    /^(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$/i.exec(
      t,
    );
  if (simple) {
    const unit = simple[2]!.toLowerCase();
    const key = unit.startsWith('mi') || unit === 'm' ? 'm' : unit[0]!;
    ms = Number(simple[1]) * UNIT_MS[key]!;
  } else {
    const iso =
      /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(
        t,
      );
    if (iso && /\d/.test(t)) {
      const [, w, d, h, m, s] = iso.map((v) => (v === undefined ? 0 : Number(v)));
      ms = (w ?? 0) * UNIT_MS.w! + (d ?? 0) * UNIT_MS.d! + (h ?? 0) * UNIT_MS.h!;
      ms += (m ?? 0) * UNIT_MS.m! + (s ?? 0) * UNIT_MS.s!;
    }
  }
  if (ms === null || !Number.isFinite(ms)) {
    throw badInput(
      `${field}: '${text}' is not a duration (use e.g. "72h", "30m", "2d" or ISO 8601 "PT4H")`,
      { field },
    );
  }
  if (ms < 1000) throw badInput(`${field} must be at least 1 second`, { field });
  return Math.round(ms);
}

export interface LocationStock {
  locationId: number;
  available: number;
}

/**
 * Spreads `quantity` over locations: one location that can hold it all is preferred (the one
 * with the least left over, to keep full bins whole), otherwise locations are drained in the
 * given order. Returns null when the locations together have too few.
 */
export function allocate(
  quantity: number,
  stock: readonly LocationStock[],
): Array<{ locationId: number; quantity: number }> | null {
  const usable = stock.filter((s) => s.available > 0);
  const single = usable
    .filter((s) => s.available >= quantity)
    .sort((a, b) => a.available - b.available || a.locationId - b.locationId)[0];
  if (single) return [{ locationId: single.locationId, quantity }];
  const out: Array<{ locationId: number; quantity: number }> = [];
  let left = quantity;
  for (const s of [...usable].sort((a, b) => b.available - a.available)) {
    const take = Math.min(left, s.available);
    out.push({ locationId: s.locationId, quantity: take });
    left -= take;
    if (left === 0) return out.sort((a, b) => a.locationId - b.locationId);
  }
  return null;
}

/** A stable fingerprint of a request's arguments (keys sorted), for idempotency checks. */
export function requestHash(args: Record<string, unknown>): string {
  return createHash('sha256').update(requestHashInput(args)).digest('hex').slice(0, 32);
}

/** The text requestHash digests: the arguments as sorted [key, value] pairs in JSON. */
function requestHashInput(args: Record<string, unknown>): string {
  const sorted = Object.keys(args)
    .sort()
    .map((k) => [k, args[k] ?? null]);
  return JSON.stringify(sorted);
}

/**
 * The text requestHash digests, cut around the integer argument `hole` that is not known yet
 * (an id the database looks up in the same statement that stores the hash):
 * `sha256(before + String(n) + after)` (hex, first 32 characters) equals
 * `requestHash({ ...args, [hole]: n })` for every integer n.
 */
export function requestHashAround(
  args: Record<string, unknown>,
  hole: string,
): { before: string; after: string } {
  const marker = '\u0000hole\u0000';
  const text = requestHashInput({ ...args, [hole]: marker });
  const quoted = `[${JSON.stringify(hole)},${JSON.stringify(marker)}]`;
  const at = text.indexOf(quoted);
  // keys are unique and sorted, so the pair appears exactly once
  const prefix = `[${JSON.stringify(hole)},`;
  return {
    before: text.slice(0, at) + prefix,
    after: text.slice(at + quoted.length - 1),
  };
}

/** The minimum a site must keep of a part: a per-site override, else the part's default. */
export function minimumFor(
  part: { minStock: number; minStockBySite: Record<string, number> },
  site: string,
): number {
  return part.minStockBySite[site] ?? part.minStock;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkEmail(email: string): string {
  const e = email.trim();
  if (!EMAIL.test(e) || e.length > 254) throw badInput(`'${email}' is not an email address`);
  return e;
}
