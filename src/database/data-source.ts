// DataSource for the TypeORM CLI (npm run migration:run | migration:revert | migration:generate).
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

export default new DataSource(dataSourceOptions(AppConfig.fromProcess().env.DATABASE_URL));
