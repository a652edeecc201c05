import { useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Table } from 'antd';
import { FlagOutlined } from '@ant-design/icons';
import { useCan } from '../../auth.tsx';
import { supervisionApi } from '../../api/supervision.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { CreateMatterModal } from './CreateMatterModal.tsx';
import { StateTag } from './MattersPage.tsx';

/**
 * The supervised matters (督办事项) linked to an enterprise, on its page: GET /matters?enterprise_id= applies the
 * matter data scope, so a reader sees only the matters they may open. Whoever assigns matters can start one here
 * with the enterprise already picked.
 */
export function EnterpriseMattersCard({ enterprise }: { enterprise: { id: number; name: string } }) {
  const can = useCan();
  return can('matter.read') ? <MattersCard enterprise={enterprise} /> : null;
}

function MattersCard({ enterprise }: { enterprise: { id: number; name: string } }) {
  const { t } = useI18n();
  const can = useCan();
  const [open, setOpen] = useState(false);
  const list = useLoad(() => supervisionApi.list({ box: 'all', enterprise_id: enterprise.id, limit: 100 }), [enterprise.id]);
  return (
    <Card size="small" title={t('enterprise.matters')} data-testid="enterprise-matters"
      extra={can('matter.assign') && <Button size="small" icon={<FlagOutlined />} onClick={() => setOpen(true)} data-testid="enterprise-assign-matter">{t('matters.new')}</Button>}>
      {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : (
        <Table rowKey="id" size="small" pagination={false} scroll={{ x: 560 }} loading={list.loading} dataSource={list.data?.items ?? []} locale={{ emptyText: t('enterprise.noMatters') }} columns={[
          { title: t('matters.number'), dataIndex: 'number', width: 150 },
          { title: t('matters.matter'), dataIndex: 'title', render: (v: string, m) => <Link to={`/matters/${m.id}`}>{v}</Link> },
          { title: t('matters.leadUnit'), dataIndex: 'leadUnitName' },
          { title: t('matters.status'), key: 'status', render: (_, m) => <StateTag m={m} /> },
          { title: t('matters.dueOn'), dataIndex: 'dueOn', width: 110 },
        ]} />
      )}
      {open && <CreateMatterModal open onClose={() => setOpen(false)} preset={{ source: 'other', enterprises: [{ value: enterprise.id, label: enterprise.name }] }} />}
    </Card>
  );
}
