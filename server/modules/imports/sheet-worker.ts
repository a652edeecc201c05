/**
 * The streaming workbook reader on a worker thread (started by `openUpload` for large workbooks): parsing a 100k-row
 * sheet takes seconds of CPU, which then run beside the import's own work on the main thread (row checks and
 * pinyin) instead of before it, and leave the server's event loop free to answer other requests meanwhile.
 *
 * To the main thread: {t:'sheet', name}, then {t:'rows', rows} batches, then {t:'end'}; or {t:'error', …} with an
 * AppError's code, message and details. From it: {t:'more'} for each batch it has taken, so that at most
 * CREDITS batches wait in its queue.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../errors.ts';
import { streamSheets, type SheetRow, type WorkerMessage } from './sheet-reader.ts';
import { corruptWorkbook, type UploadLimits } from './file-guard.ts';

const BATCH = 1000;
const CREDITS = 16;

const port = parentPort!;
const { buf, limits } = workerData as { buf: Uint8Array; limits: UploadLimits };
let credits = CREDITS;
let wake: (() => void) | undefined;
port.on('message', (m: { t: string }) => {
  if (m.t !== 'more') return;
  credits++;
  wake?.();
});

async function send(message: WorkerMessage): Promise<void> {
  if (message.t === 'rows') {
    while (credits === 0) await new Promise<void>((resolve) => { wake = resolve; });
    credits--;
  }
  port.postMessage(message);
}

try {
  for await (const sheet of streamSheets(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength), limits)) {
    await send({ t: 'sheet', name: sheet.name });
    let rows: SheetRow[] = [];
    for await (const row of sheet.rows) {
      rows.push(row);
      if (rows.length === BATCH) {
        await send({ t: 'rows', rows });
        rows = [];
      }
    }
    if (rows.length) await send({ t: 'rows', rows });
  }
  await send({ t: 'end' });
} catch (err) {
  const e = err instanceof AppError ? err : corruptWorkbook(err);
  await send({ t: 'error', code: e.code, message: e.message, details: e.details });
}
// The main thread terminates this worker once it has the last message.
