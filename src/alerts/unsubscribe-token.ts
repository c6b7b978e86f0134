import { createHmac, timingSafeEqual } from 'node:crypto';

/** Most rules one token may name (a digest's List-Unsubscribe covers every rule in it). */
export const MAX_TOKEN_RULES = 200;

/**
 * A signed, URL-safe token naming a recipient and the rules it unsubscribes from:
 * `<payload>.<hmac>` in base64url. One rule for a per-event link, every rule of a digest for its
 * List-Unsubscribe header.
 */
export function signUnsubscribe(secret: string, ruleIds: number | number[], email: string): string {
  const ids = [...new Set(Array.isArray(ruleIds) ? ruleIds : [ruleIds])].sort((a, b) => a - b);
  if (!ids.length || ids.length > MAX_TOKEN_RULES) {
    throw new RangeError(`an unsubscribe token names 1 to ${MAX_TOKEN_RULES} rules`);
  }
  const payload = Buffer.from(
    JSON.stringify({ r: ids.length === 1 ? ids[0] : ids, e: email.toLowerCase() }),
  ).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/** The rules and recipient of a valid token, or null for anything forged, truncated or malformed. */
export function verifyUnsubscribe(
  secret: string,
  token: string,
): { ruleIds: number[]; email: string } | null {
  const [payload, sig, extra] = token.split('.');
  if (!payload || !sig || extra !== undefined) return null;
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const v = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && 'r' in v && 'e' in v) {
      const { r, e } = v;
      const ids: unknown[] = Array.isArray(r) ? r : [r];
      const valid =
        ids.length > 0 &&
        ids.length <= MAX_TOKEN_RULES &&
        ids.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x > 0);
      if (valid && typeof e === 'string') return { ruleIds: ids as number[], email: e };
    }
  } catch {
    return null;
  }
  return null;
}

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`unsubscribe:${payload}`).digest('base64url');
}
