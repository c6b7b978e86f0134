/** Collects positional parameters while a query is built: `sql.param(v)` returns "$n". */
export class SqlParams {
  readonly values: unknown[] = [];

  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
