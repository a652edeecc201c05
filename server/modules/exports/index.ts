// The exports module's public face for other modules: the streamed table writer and the workbook sender, so every
// export (supervision lists, 交办单, problem ledgers …) is written the one way (docs/ARCHITECTURE.md, "Exports stream").
export { XlsxStream, TableSheet, contentDisposition, today, type TableColumn, type CellInput, type SheetSpec } from './table-writer.ts';
export { sendWorkbook } from './send-workbook.ts';
