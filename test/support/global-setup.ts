import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import {
  TEST_PG_ADMIN_URL,
  TEST_WORKERS,
  databaseUrl,
  templateDbName,
  workerDbName,
} from './test-env';

/**
 * Creates a fresh template database, applies the real migrations to it once, and clones it
 * into one database per Jest worker. Tests never use synchronize.
 */
export default async function globalSetup(): Promise<void> {
  const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    const template = templateDbName();
    for (let i = 1; i <= TEST_WORKERS; i++) {
      await admin.query(`DROP DATABASE IF EXISTS ${workerDbName(i)} WITH (FORCE)`);
    }
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${template}`);

    const ds = new DataSource(dataSourceOptions(databaseUrl(template), 2));
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await ds.destroy();
    }

    for (let i = 1; i <= TEST_WORKERS; i++) {
      await admin.query(`CREATE DATABASE ${workerDbName(i)} TEMPLATE ${template}`);
    }
  } finally {
    await admin.end();
  }
}
