import { TEST_DB_PREFIX, TEST_REDIS_URL, databaseUrl, workerDbName } from './test-env';

// Runs in every integration test file before it loads: point the app at this worker's database
// and at a Redis key prefix of its own.
const worker = process.env.JEST_WORKER_ID ?? '1';
process.env.DATABASE_URL = databaseUrl(workerDbName(worker));
process.env.REDIS_URL = TEST_REDIS_URL;
process.env.QUEUE_PREFIX = `${TEST_DB_PREFIX}-w${worker}`;
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
process.env.DEMO_MODE = 'off';
