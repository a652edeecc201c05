import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../errors.ts';

/** SQLite's busy and locked results (another connection or process holds the write lock past busy_timeout). */
const BUSY_CODES = /^SQLITE_(BUSY|LOCKED)(_|$)/;
/** PostgreSQL: lock_not_available, serialization_failure, deadlock_detected. */
const PG_BUSY_CODES = new Set(['55P03', '40001', '40P01']);

/** Seconds a client is asked to wait after a busy database (a bulk write holds the write lock). */
export const BUSY_RETRY_AFTER_SECONDS = 5;

/** True when a failure only says the database is busy: retrying later succeeds, so it is a 503, never a 500. */
export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (BUSY_CODES.test(code) || PG_BUSY_CODES.has(code));
}

/**
 * One error shape for every failure, {error: {code, message, details}}, and never a stack trace. With spaFallback,
 * unknown GET paths outside /api answer the web app's index.html (client-side routes); /api paths stay JSON 404s.
 */
export function registerErrorHandler(app: FastifyInstance, opts: { spaFallback?: boolean } = {}): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, details: err.details ?? null } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        path: [err.validationContext, ...(v.instancePath ? v.instancePath.split('/').filter(Boolean) : [])].join('.'),
        message: v.message,
      }));
      const first = details[0];
      return reply.status(400).send({
        error: { code: 'validation_failed', message: `输入有误：${first ? `${first.path} ${first.message}` : '请检查填写内容'}`, details },
      });
    }
    const status = err.statusCode ?? 500;
    if (status === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send({ error: { code: 'payload_too_large', message: '提交的内容过大', details: null } });
    }
    if (status === 429) {
      return reply.status(429).send({ error: { code: 'rate_limited', message: '请求过于频繁，请稍后再试', details: null } });
    }
    if (status >= 400 && status < 500) {
      return reply.status(status).send({ error: { code: 'bad_request', message: `请求格式有误：${err.message}`, details: null } });
    }
    if (isBusyError(err)) {
      request.log.warn({ code: (err as { code?: string }).code, url: request.url }, 'database busy: answered 503');
      return reply.status(503).header('retry-after', String(BUSY_RETRY_AFTER_SECONDS))
        .send({ error: { code: 'busy', message: '系统正在进行批量写入，数据库暂时繁忙，请稍后重试', details: null } });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: '服务器内部错误，请稍后重试或联系管理员', details: null } });
  });
  app.setNotFoundHandler((request, reply) => {
    if (opts.spaFallback && request.method === 'GET' && !request.url.startsWith('/api/')) return reply.sendFile('index.html');
    return reply.status(404).send({ error: { code: 'not_found', message: `接口不存在：${request.method} ${request.url.split('?')[0]}`, details: null } });
  });
}
