/** Collects positional parameters while a query is built: `sql.param(v)` returns "$n". */
export class SqlParams {
  readonly values: unknown[] = [];

  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * Rows from DataSource.query(). TypeORM returns `[rows, rowCount]` for UPDATE and DELETE
 * (even with RETURNING) and plain rows otherwise; this gives the rows in both cases.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
