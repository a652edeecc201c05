import { PassThrough, pipeline, type Writable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import { contentDisposition } from './table-writer.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Bytes of a workbook held back before the answer starts: a failure within them is an ordinary JSON error. */
const HOLD_BYTES = 256 * 1024;

/**
 * Sends a workbook while it is written. The first HOLD_BYTES (the whole file when it is small) are held before the
 * status line goes out, so a failure there answers a Chinese JSON error (500) instead of a 200 with a few bytes of
 * zip header. A failure after that aborts the download (no final chunk: the browser reports it failed) rather than
 * ending a truncated file that looks complete; both are logged.
 */
export async function sendWorkbook(request: FastifyRequest, reply: FastifyReply, fileName: string, write: (out: Writable) => Promise<unknown>) {
  const out = new PassThrough();
  const head: Buffer[] = [];
  let held = 0;
  let failure: Error | undefined;
  let finished = false;
  await new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      head.push(chunk);
      held += chunk.length;
      if (held >= HOLD_BYTES) {
        out.off('data', onData);
        out.pause();
        resolve();
      }
    };
    out.on('data', onData);
    out.on('error', () => { /* reported through write()'s rejection */ });
    out.once('end', () => {
      finished = true;
      resolve();
    });
    write(out).catch((err: unknown) => {
      failure ??= err instanceof Error ? err : new Error(String(err));
      request.log.error({ err: failure }, 'export failed');
      out.destroy(failure);
      resolve();
    });
  });
  if (failure && !reply.sent) {
    throw new AppError('internal', '导出失败：生成文件时出错，请稍后重试或联系管理员', { file: fileName });
  }
  reply.header('content-type', XLSX).header('content-disposition', contentDisposition(fileName));
  const body = new PassThrough();
  for (const chunk of head) body.write(chunk);
  if (finished) body.end();
  else {
    // Either side failing ends both: an aborted download destroys `out`, which stops the export (see drained()).
    pipeline(out, body, (err) => {
      if (err && err !== failure) request.log.warn({ err }, 'export stream ended early');
    });
  }
  return reply.send(body);
}

