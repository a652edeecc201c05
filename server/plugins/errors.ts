import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../errors.ts';

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
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: '服务器内部错误，请稍后重试或联系管理员', details: null } });
  });
  app.setNotFoundHandler((request, reply) => {
    if (opts.spaFallback && request.method === 'GET' && !request.url.startsWith('/api/')) return reply.sendFile('index.html');
    return reply.status(404).send({ error: { code: 'not_found', message: `接口不存在：${request.method} ${request.url.split('?')[0]}`, details: null } });
  });
}
