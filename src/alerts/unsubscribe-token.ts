import { createHmac, timingSafeEqual } from 'node:crypto';

/** A signed, URL-safe token naming one (rule, recipient): `<payload>.<hmac>` in base64url. */
export function signUnsubscribe(secret: string, ruleId: number, email: string): string {
  const payload = Buffer.from(JSON.stringify({ r: ruleId, e: email.toLowerCase() })).toString(
    'base64url',
  );
  return `${payload}.${mac(secret, payload)}`;
}

/** The (rule, recipient) of a valid token, or null for anything forged, truncated or malformed. */
export function verifyUnsubscribe(
  secret: string,
  token: string,
): { ruleId: number; email: string } | null {
  const [payload, sig, extra] = token.split('.');
  if (!payload || !sig || extra !== undefined) return null;
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const v = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && 'r' in v && 'e' in v) {
      const { r, e } = v;
      if (typeof r === 'number' && Number.isSafeInteger(r) && typeof e === 'string') {
        return { ruleId: r, email: e };
      }
    }
  } catch {
    return null;
  }
  return null;
}

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`unsubscribe:${payload}`).digest('base64url');
}
