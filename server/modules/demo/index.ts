// The demo module's public face (`docket demo`, the browser tests' and the bench's data): the CLI, tests and bench
// import from here only. The generator writes through the raw engine handle (`Database`, not Deps), in bulk.
export { DEMO_CITY, DEMO_PASSWORD, generateDemo, type DemoAccount, type DemoOptions, type DemoResult } from './demo.service.ts';
// TODO(platform): bench/surge.ts reads submitted report ids through this repository; it should ask the report service.
export { DemoRepository } from './demo.repository.ts';
