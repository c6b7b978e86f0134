import { badInput } from './errors';

/** Keyset cursor: the order it belongs to, the sort value and the row id, as opaque base64url. */
export interface Cursor {
  order: string;
  value: string | number | null;
  id: number;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.order, cursor.value, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string, expectedOrder: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badInput('after: not a cursor returned by this API');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== 'string' ||
    !(parsed[1] === null || typeof parsed[1] === 'string' || typeof parsed[1] === 'number') ||
    typeof parsed[2] !== 'number'
  ) {
    throw badInput('after: not a cursor returned by this API');
  }
  const [order, value, id] = parsed as [string, string | number | null, number];
  if (order !== expectedOrder) {
    throw badInput(`after: cursor was made for orderBy ${order}, not ${expectedOrder}`);
  }
  return { order, value, id };
}
