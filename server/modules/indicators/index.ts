/** Indicators: the rollup hooks other modules call after writing reports, and the service behind the API. */
export { IndicatorService } from './indicator.service.ts';
export { indicatorService } from './indicator.routes.ts';
