// The files module's public face: files every server reaches, kept in the database.
export { FileStore, PART_BYTES } from './file-store.ts';
