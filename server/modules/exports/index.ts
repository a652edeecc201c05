// The exports module's public face: the streamed table writer every export uses, and sending a workbook.
export { XlsxStream, TableSheet, contentDisposition, today, type TableColumn } from './table-writer.ts';
export { sendWorkbook } from './send-workbook.ts';
