import { describe, expect, it } from 'vitest';
import { hasAddressSpaceForWorker } from './sheet-reader.ts';

// Issue 14, item 12: under `ulimit -v 4194304` a large import started a worker isolate whose reservations failed as
// a fatal V8 OOM (the process died without a word). The reader now checks the headroom first and reads on the main
// thread when there is none (measured by hand: a 300k-row workbook under ulimit -v 4194304 now answers
// 文件行数超过上限 150,000 行 like without the limit; before, exit 133 "Failed to reserve virtual memory for CodeRange").
describe('address space for the sheet worker', () => {
  const limits = (bytes: string) => `Limit                     Soft Limit           Hard Limit           Units\nMax address space         ${bytes}            ${bytes}            bytes\n`;
  const status = (kb: number) => `Name:\tnode\nVmPeak:\t ${kb} kB\nVmSize:\t ${kb} kB\n`;

  it('starts a worker when the address space is unlimited', () => {
    expect(hasAddressSpaceForWorker(512, status(19_000_000), limits('unlimited'))).toBe(true);
  });
  it('reads on the main thread under a 4 GB limit once the process has used most of it', () => {
    expect(hasAddressSpaceForWorker(512, status(2_500_000), limits(String(4_194_304 * 1024)))).toBe(false);
  });
  it('still uses the worker under a limit with room to spare', () => {
    expect(hasAddressSpaceForWorker(512, status(1_300_000), limits(String(16 * 1024 ** 3)))).toBe(true);
  });
  it('reads this process\'s own /proc without failing', () => {
    expect(typeof hasAddressSpaceForWorker(512)).toBe('boolean');
  });
});
