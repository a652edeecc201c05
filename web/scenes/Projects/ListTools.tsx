import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { App, Button, Checkbox, Dropdown, Flex, Input, Modal, Popover, Typography } from 'antd';
import { DeleteOutlined, EyeOutlined, SaveOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/i18n.tsx';

const VIEWS_KEY = 'docket_project_views';
const COLUMNS_KEY = 'docket_project_hidden_columns';

interface SavedView {
  name: string;
  search: string;
}

function read<T>(key: string, fallback: T): T {
  try {
    const v = localStorage.getItem(key);
    return v ? (JSON.parse(v) as T) : fallback;
  } catch {
    return fallback;
  }
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the choice lasts for this page only.
  }
}

/** Hidden columns of the project list, remembered in this browser. */
export function useHiddenColumns(): [string[], (keys: string[]) => void] {
  const [hidden, setHidden] = useState<string[]>(() => read<string[]>(COLUMNS_KEY, []));
  return [hidden, (keys) => {
    write(COLUMNS_KEY, keys);
    setHidden(keys);
  }];
}

/** Shows or hides list columns (the name column always stays). */
export function ColumnChooser({ columns, hidden, onChange }: { columns: { key: string; title: string }[]; hidden: string[]; onChange: (keys: string[]) => void }) {
  const { t } = useI18n();
  const content = (
    <Flex vertical gap={4} data-testid="column-chooser">
      {columns.filter((c) => c.key !== 'name').map((c) => (
        <Checkbox key={c.key} checked={!hidden.includes(c.key)} onChange={(e) => onChange(e.target.checked ? hidden.filter((k) => k !== c.key) : [...hidden, c.key])}>{c.title}</Checkbox>
      ))}
    </Flex>
  );
  return <Popover trigger="click" content={content} title={t('projects.columns')}><Button icon={<EyeOutlined />}>{t('projects.columns')}</Button></Popover>;
}

/** Named filter views of the project list, kept in this browser: save the current URL's filters, reopen, delete. */
export function SavedViews() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const location = useLocation();
  const navigate = useNavigate();
  const [views, setViews] = useState<SavedView[]>(() => read<SavedView[]>(VIEWS_KEY, []));
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const store = (next: SavedView[]) => {
    write(VIEWS_KEY, next);
    setViews(next);
  };
  const save = () => {
    const n = name.trim();
    if (!n) return;
    store([...views.filter((v) => v.name !== n), { name: n, search: location.search }]);
    setNaming(false);
    setName('');
    void message.success(t('projects.views.saved', { name: n }));
  };
  return (
    <>
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            { key: '__save', icon: <SaveOutlined />, label: t('projects.views.saveCurrent') },
            ...(views.length ? [{ type: 'divider' as const }] : []),
            ...views.map((v) => ({
              key: v.name,
              label: (
                <Flex justify="space-between" gap={16}>
                  <span>{v.name}</span>
                  <DeleteOutlined aria-label={t('projects.views.delete')} onClick={(e) => {
                    e.stopPropagation();
                    store(views.filter((x) => x.name !== v.name));
                  }} />
                </Flex>
              ),
            })),
          ],
          onClick: ({ key }) => {
            if (key === '__save') setNaming(true);
            else {
              const v = views.find((x) => x.name === key);
              if (v) void navigate(`/projects${v.search}`);
            }
          },
        }}
      >
        <Button data-testid="saved-views">{t('projects.views')}{views.length ? `（${views.length}）` : ''}</Button>
      </Dropdown>
      <Modal open={naming} title={t('projects.views.saveCurrent')} onCancel={() => setNaming(false)} onOk={save} okButtonProps={{ disabled: !name.trim() }}>
        <Typography.Paragraph type="secondary">{t('projects.views.hint')}</Typography.Paragraph>
        <Input autoFocus value={name} maxLength={40} onChange={(e) => setName(e.target.value)} onPressEnter={save} aria-label={t('projects.views.name')} placeholder={t('projects.views.name')} />
      </Modal>
    </>
  );
}
