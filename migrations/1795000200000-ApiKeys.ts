import { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys: only a SHA-256 of the key is stored; the key itself is shown once at creation. */
export class ApiKeys1795000200000 implements MigrationInterface {
  name = 'ApiKeys1795000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_key (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('viewer', 'procurement', 'ops', 'admin')),
        key_prefix text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by integer REFERENCES api_key(id),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_key`);
  }
}
