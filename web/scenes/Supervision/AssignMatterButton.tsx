import { useState } from 'react';
import { Button } from 'antd';
import { FlagOutlined } from '@ant-design/icons';
import { useCan } from '../../auth.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { CreateMatterModal } from './CreateMatterModal.tsx';

/** 交办督办 from a project (a red one, typically): two clicks — this button, then 确定 on the prefilled form. */
export function AssignMatterButton({ project }: { project: { id: number; name: string; unit_id: number | null } }) {
  const { t } = useI18n();
  const can = useCan();
  const [open, setOpen] = useState(false);
  if (!can('matter.assign')) return null;
  return (
    <>
      <Button icon={<FlagOutlined />} onClick={() => setOpen(true)} data-testid="assign-matter">{t('matters.fromProject')}</Button>
      <CreateMatterModal open={open} onClose={() => setOpen(false)} preset={{
        title: `${project.name}推进滞后督办`, source: 'project', sourceId: project.id, sourceRef: project.name,
        leadUnitId: project.unit_id ?? undefined, projectIds: [project.id], content: `请牵头单位督促“${project.name}”加快推进，按时限反馈进展。`,
      }} />
    </>
  );
}
