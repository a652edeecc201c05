// The exports module's public face for other modules: the one streamed table writer for every export.
export { XlsxStream, contentDisposition, type TableColumn } from './table-writer.ts';
export { sendWorkbook } from './send-workbook.ts';
