// Loaded lazily, only when GET /v1/context fails. A module of its own because a dynamic import keeps every export
// of its target: importing schemas/instrument.ts directly would also ship its schemas.
export { DEFAULT_INSTRUMENT } from '../../schemas/instrument.ts';
