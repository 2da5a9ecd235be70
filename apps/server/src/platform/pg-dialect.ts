import {
  PostgresDialect,
  PostgresIntrospector,
  sql,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type DatabaseMetadataOptions,
  type Kysely,
  type PostgresDialectConfig,
  type SchemaMetadata,
  type TableMetadata,
} from 'kysely';

/**
 * PostgreSQL dialect whose introspection looks at one schema only. Kysely's own introspector reads
 * every table of every schema (calling functions such as pg_get_serial_sequence on each), which fails
 * with "schema … does not exist" when another process drops its schema at that moment — as parallel
 * test suites, each in its own schema, do. The migrator only needs the names of our tables.
 */
export class SchemaScopedPostgresDialect extends PostgresDialect {
  readonly #schema: string;
  constructor(config: PostgresDialectConfig, schema: string) {
    super(config);
    this.#schema = schema;
  }
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SchemaScopedIntrospector(db, this.#schema);
  }
}

class SchemaScopedIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<unknown>;
  readonly #schema: string;
  readonly #base: PostgresIntrospector;
  constructor(db: Kysely<unknown>, schema: string) {
    this.#db = db;
    this.#schema = schema;
    this.#base = new PostgresIntrospector(db);
  }
  getSchemas(): Promise<SchemaMetadata[]> {
    return this.#base.getSchemas();
  }
  async getTables(_options?: DatabaseMetadataOptions): Promise<TableMetadata[]> {
    const rows = await sql<{ name: string; kind: string }>`
      select c.relname as name, c.relkind as kind
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${this.#schema} and c.relkind in ('r', 'v', 'p')`.execute(this.#db);
    return rows.rows.map((r) => ({ name: r.name, schema: this.#schema, isView: r.kind === 'v', columns: [] }));
  }
  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}
