import { projectApi } from '../api/endpoints.ts';
import { RemotePicker, type RemotePickerProps, type RemoteSearch } from './RemotePicker.tsx';

const searchProjects: RemoteSearch = async (text, signal) =>
  (await projectApi.list({ q: text || undefined, page_size: 20, fields: ['name', 'code'] }, signal)).items.map((p) => ({ value: p.id, label: p.code ? `${p.name}（${p.code}）` : p.name }));

/**
 * Picks projects of the library by name or code (several at once): the server searches as one types, within the
 * account's scope. Used where a matter is linked to projects (a decision turned into matters).
 */
export function ProjectPicker(props: RemotePickerProps) {
  return <RemotePicker search={searchProjects} {...props} />;
}
