/** The office's profile (name and jurisdiction): the module's public face. */
export { systemRoutes } from './system.routes.ts';
export { SystemService, findJurisdiction, findOfficeRegionCode, type Jurisdiction, type SystemProfile } from './system.service.ts';
