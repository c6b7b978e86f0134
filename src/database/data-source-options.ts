import { types } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations';
import { entities } from './entities';

// numeric and bigint arrive from pg as strings. Prices fit a double and ids stay below 2^53,
// so parse them once here instead of at every call site.
types.setTypeParser(types.builtins.NUMERIC, (v) => Number.parseFloat(v));
types.setTypeParser(types.builtins.INT8, (v) => Number.parseInt(v, 10));

export function dataSourceOptions(databaseUrl: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: poolSize, connectionTimeoutMillis: 5000, application_name: 'rackhound' },
  };
}
