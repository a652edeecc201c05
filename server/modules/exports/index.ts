// The exports module's public face: the one streamed table writer and the sender every export uses.
export { contentDisposition, XlsxStream, type CellInput, type TableColumn } from './table-writer.ts';
export { sendWorkbook } from './send-workbook.ts';
