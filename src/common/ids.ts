import { badInput } from './errors';

/**
 * A GraphQL `ID` argument as the row id it names. IDs arrive as strings (GraphQL coerces integer
 * literals too); anything but a positive safe integer is a BAD_INPUT naming the field and the kind
 * of object, never a database error.
 */
export function parseId(id: string | number, what: string, field = 'id'): number {
  const n = typeof id === 'number' ? id : /^\s*\d+\s*$/.test(id) ? Number(id) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw badInput(
      `${field}: '${String(id)}' is not ${/^[aeiou]/i.test(what) ? 'an' : 'a'} ${what} id`,
    );
  }
  return n;
}

/** A list of GraphQL `ID`s (see parseId); null and undefined stay as they are. */
export function parseIds(
  ids: ReadonlyArray<string | number> | null | undefined,
  what: string,
  field: string,
): number[] | undefined {
  return ids?.map((id, i) => parseId(id, what, `${field}[${i}]`));
}
