export * from './cloud';
export * from './fx';
export * from './market';
export * from './settings';
export * from './value';
export * from './valuation-data';
