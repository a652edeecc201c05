// Actor and DataScope moved to server/platform/context.ts; this re-export keeps older imports working during the
// transition (new code imports platform/context.ts).
export { emptyScope, systemActor, type Actor, type DataScope, type Origin } from './platform/context.ts';
