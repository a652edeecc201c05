import fs from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { healthSchema } from './platform/responses.ts';
import { jsonSchemaTransform, jsonSchemaTransformObject, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import rateLimit from '@fastify/rate-limit';
import { registerAuth } from './plugins/auth.ts';
import { registerAuditHook } from './plugins/audit.ts';
import { projectRoutes, registerProjectScope } from './modules/projects/index.ts';
import { checkEntityScope } from './platform/access.ts';
import { calendarRoutes, createCalendarService } from './modules/calendar/index.ts';
// problems (issue 18)
import { createEnterpriseService, createProblemImport, createProblemService, enterpriseRoutes, problemRoutes, registerProblemScopes } from './modules/problems/index.ts';
import { createDeps } from './deps.ts';
import { anchorPathsOf, auditRoutes, createAuditService } from './modules/audit/index.ts';
import { createSecurityService, securityRoutes } from './modules/security/index.ts';
import { createTokenService, tokenRoutes } from './modules/tokens/index.ts';
import { registerErrorHandler } from './plugins/errors.ts';
import { responseSerializer } from './plugins/response-schemas.ts';
import { createRateLimits, createUserService, countPerMinute, userAdminRoutes, userRoutes } from './modules/users/index.ts';
import { createSystemService, findOfficeRegionCode, systemRoutes } from './modules/system/index.ts';
import { registerScopeRegion } from './plugins/scope-region.ts';
import { createReferenceService, referenceRoutes } from './modules/reference/index.ts';
import { createMonthlyReportService, createPeriodService, createReportPhotoService, registerReportReminders, reportRoutes } from './modules/reports/index.ts';
import { createIndicatorService, indicatorRoutes } from './modules/indicators/index.ts';
import { createLightService, lightRoutes } from './modules/lights/index.ts';
import { registerMultipart } from './plugins/multipart.ts';
import { createImportService, createListImportService, importRoutes } from './modules/imports/index.ts';
import { createExportService, exportRoutes } from './modules/exports/index.ts';
import { bulletinRoutes, createBulletinService } from './modules/bulletins/index.ts';
import { createEvaluationService, evaluationRoutes } from './modules/evaluation/index.ts';
// issue 17 (supervision)
import { createInboxService, inboxRoutes } from './modules/inbox/index.ts';
import { agendaRoutes, createAgendaService, createLetterService, createMatterService, matterRoutes, registerSupervision } from './modules/supervision/index.ts';
import { createNodePlanService, nodePlanRoutes, registerNodePlans } from './modules/nodeplans/index.ts';
// investment attraction (招商引资)
import { attractionRoutes, createAttractionService, createLeadImportService, registerAttractionScope } from './modules/attraction/index.ts';

/** Fastify's trustProxy for "the nearest N hops are proxies" (its typings take no plain number). */
function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

/** Builds the Fastify app over an open database. It never listens: main.ts does, tests use app.inject. */
export async function buildApp(config: Config, database: Database): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    // Forwarding headers (X-Forwarded-For…) are believed only from configured proxies: otherwise any client could
    // pick its own address for the audit trail and the sign-in rate limit.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializer(config.checkResponses));
  const hasWeb = fs.existsSync(config.webDir);
  registerErrorHandler(app, { spaFallback: hasWeb });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'], connectSrc: ["'self'"], objectSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'self'"],
        formAction: ["'self'"], upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: { info: { title: 'Docket API (重点项目调度督查平台)', version: '1' }, servers: [] },
    transform: jsonSchemaTransform,
    // Response schemas registered with .meta({ id }) become components/schemas: named types in web/api/generated.ts.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  await app.register(rateLimit, { global: false });

  const db = database.db;
  registerProjectScope();
  const deps = createDeps(db);
  registerProblemScopes(deps); // problems (issue 18)
  registerAttractionScope();
  const audit = () => createAuditService(db);
  const userService = createUserService(deps);
  const users = () => userService;
  const tokenService = createTokenService(deps);
  const tokens = () => tokenService;
  registerAuth(app, {
    findSession: (token, origin) => users().findSession(token, origin),
    findToken: async (secret, origin) => {
      const found = await tokens().authenticate(secret);
      const actor = found && (await users().findActorForUser(found.userId, origin));
      return actor ? { actor: { ...actor, token: { id: found.id, name: found.name } }, permissions: found.permissions } : undefined;
    },
    checkScope: (entity, id, scope) => checkEntityScope(db, entity, id, scope),
  });
  // Scoped routes: no region means the office's jurisdiction, region=all widens it (issue 12).
  registerScopeRegion(app, () => findOfficeRegionCode(db));
  registerAuditHook(app, (actor, event) => audit().record(db, actor, event), (key, by) => countPerMinute(createRateLimits(deps), key, deps.clock.now(), by));

  app.get('/api/v1/health', { config: { permission: 'public' }, schema: { tags: ['system'], response: { 200: healthSchema } } }, async () => {
    await database.db.selectFrom('regions').select('code').limit(1).execute();
    return { status: 'ok', dialect: database.dialect };
  });
  app.get('/api/v1/openapi.json', { config: { permission: 'public' }, schema: { hide: true } }, async () => app.swagger());

  const rateLimits = createRateLimits(deps);
  userRoutes(app, users, { loginRateLimit: config.loginRateLimit, rateLimits: () => rateLimits, clock: deps.clock });
  userAdminRoutes(app, users);
  tokenRoutes(app, tokens);
  const securityService = createSecurityService(deps);
  securityRoutes(app, () => securityService);
  auditRoutes(app, audit, config.dataDir, anchorPathsOf(config));
  const referenceService = createReferenceService(deps);
  referenceRoutes(app, () => referenceService);
  calendarRoutes(app, () => createCalendarService(deps));
  // problems (issue 18)
  enterpriseRoutes(app, () => createEnterpriseService(deps));
  problemRoutes(app, () => createProblemService(deps), () => createProblemImport(deps));
  const systemService = createSystemService(deps);
  systemRoutes(app, () => systemService);
  projectRoutes(app, deps);
  const periodService = createPeriodService(deps);
  const monthlyReportService = createMonthlyReportService(deps);
  const reportPhotoService = createReportPhotoService(deps, config.dataDir);
  reportRoutes(app, { periods: () => periodService, reports: () => monthlyReportService, photos: () => reportPhotoService });
  indicatorRoutes(app, deps);
  lightRoutes(app, deps);
  await registerMultipart(app);
  const importService = createImportService(deps);
  const listImportService = createListImportService(deps);
  importRoutes(app, database, () => importService, () => listImportService);
  const exportService = createExportService(deps);
  exportRoutes(app, {
    exports: () => exportService, indicators: () => createIndicatorService(deps), lights: () => createLightService(deps),
    periods: () => periodService, reports: () => monthlyReportService,
  });
  const bulletinService = createBulletinService(deps);
  bulletinRoutes(app, () => bulletinService);
  evaluationRoutes(app, () => createEvaluationService(deps));
  // issue 17 (supervision): to-dos, notifications, attachments
  inboxRoutes(app, () => createInboxService(deps));
  registerSupervision(deps);
  registerReportReminders(); // issue 17: reminders before, on and after a period's report deadline
  matterRoutes(app, () => createMatterService(deps));
  registerNodePlans(deps);
  nodePlanRoutes(app, () => createNodePlanService(deps));
  agendaRoutes(app, { agenda: () => createAgendaService(deps), letters: () => createLetterService(deps), matters: () => createMatterService(deps) }); // supervision3: meetings, 周交办, letters
  attractionRoutes(app, () => createAttractionService(deps), () => createLeadImportService(deps));

  // Client-side routes fall back to index.html through the not-found handler (registerErrorHandler's spaFallback).
  if (hasWeb) await app.register(fastifyStatic, { root: config.webDir, wildcard: false });
  return app;
}
