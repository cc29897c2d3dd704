/**
 * One SQL statement assembled from parts that the libraries owning the tables write: a use case on a
 * hot path stores all its rows in one round trip and, being one statement, atomically, while each
 * library keeps the SQL of its own tables (IncidentRepository its incident rows, NotifyService its
 * outbox rows, AuditService its queued event). Parts are data-modifying WITH queries; placeholders
 * are numbered as values are added.
 *
 *   const stmt = new SqlStatement();
 *   stmt.with('incident', `INSERT INTO incidents (id, title) VALUES (${stmt.param(id)}, ${stmt.param(title)})`);
 *   notify.enqueueIn(stmt, mail);
 *   audit.appendIn(stmt, event);
 *   await dataSource.query(...stmt.build());
 *
 * All parts of a statement see the same snapshot and none sees another's rows, except through the
 * RETURNING of a part it selects from (PostgreSQL's rule for data-modifying WITH queries); foreign
 * keys between the parts are checked at the end of the statement.
 */
export class SqlStatement {
  private readonly values: unknown[] = [];
  private readonly parts: string[] = [];
  private readonly names = new Set<string>();

  /** A placeholder for `value`, optionally with a cast (`param(ids, 'uuid[]')` → `$3::uuid[]`). */
  param(value: unknown, cast?: string): string {
    if (cast !== undefined && !/^[a-z][a-z0-9_ ]*(\[\])?$/.test(cast)) throw new Error(`SqlStatement: not a type name: ${cast}`);
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }

  /** Adds a WITH part under a unique name derived from `name`; returns the name to select from it. */
  with(name: string, sql: string): string {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`SqlStatement: not a part name: ${name}`);
    let unique = name;
    for (let n = 2; this.names.has(unique); n++) unique = `${name}_${n}`;
    this.names.add(unique);
    this.parts.push(`${unique} AS (${sql})`);
    return unique;
  }

  get isEmpty(): boolean {
    return this.parts.length === 0;
  }

  /** The statement (`WITH … <main>`) and its parameters, for `query(sql, params)`. */
  build(main = 'SELECT 1 AS done'): [string, unknown[]] {
    if (this.isEmpty) throw new Error('SqlStatement: nothing to run');
    return [`WITH ${this.parts.join(',\n')}\n${main}`, [...this.values]];
  }
}
