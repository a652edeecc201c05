import { problemsApi } from '../api/problems.ts';
import { RemotePicker, type RemotePickerProps, type RemoteSearch } from './RemotePicker.tsx';

const searchEnterprises: RemoteSearch = async (text, signal) =>
  (await problemsApi.enterprises({ q: text || undefined, page_size: 20 }, signal)).items.map((e) => ({ value: e.id, label: e.uscc ? `${e.name}（${e.uscc}）` : e.name }));

/**
 * Picks enterprises of the register by name (several at once): the server searches as one types, among those the
 * account sees (unit, region or as a linked cadre). Used where a matter names its enterprises (关联企业); `known`
 * gives the labels of ids already linked (the edit form).
 */
export function EnterprisePicker(props: RemotePickerProps) {
  return <RemotePicker search={searchEnterprises} {...props} />;
}
