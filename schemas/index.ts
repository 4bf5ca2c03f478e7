export * from './common.ts';
export * from './token.ts';
export * from './instrument.ts';
export * from './rating.ts';
export * from './pacing.ts';
export * from './summary.ts';
export * from './caseload.ts';
export * from './platform-settings.ts';
