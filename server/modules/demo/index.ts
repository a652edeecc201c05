// The demo module's public face: other modules and tests import from here only.
export { DEMO_CITY, DEMO_PASSWORD, generateDemo } from './demo.service.ts';
