import { useState } from 'react';
import { Link } from 'react-router';
import { Button } from 'antd';
import { FlagOutlined } from '@ant-design/icons';
import { useCan } from '../../auth.tsx';
import { reportApi } from '../../api/endpoints.ts';
import type { ReportMatter } from '../../api/types.ts';
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
        title: `${project.name}推进滞后督办`, source: 'project', sourceId: project.id, sourceRef: project.name, sourceLink: `/projects/${project.id}`,
        leadUnitId: project.unit_id ?? undefined, projectIds: [project.id], content: `请牵头单位督促“${project.name}”加快推进，按时限反馈进展。`,
      }} />
    </>
  );
}

/**
 * 交办 from a lagging unit (ranked low in 月讲评, or owing reports in 催报): the same dialog, prefilled with the unit as
 * lead unit, a title and content naming the period, and the way back to the list it came from.
 */
export function AssignUnitButton({ unit, title, content, sourceRef, sourceLink }: { unit: { id: number; name: string }; title: string; content: string; sourceRef: string; sourceLink: string }) {
  const { t } = useI18n();
  const can = useCan();
  const [open, setOpen] = useState(false);
  if (!can('matter.assign')) return null;
  return (
    <>
      <Button size="small" icon={<FlagOutlined />} onClick={() => setOpen(true)} data-testid={`assign-unit-${unit.id}`}>{t('matters.assignUnit')}</Button>
      <CreateMatterModal open={open} onClose={() => setOpen(false)} preset={{ title, content, source: 'unit', sourceId: unit.id, sourceRef, sourceLink, leadUnitId: unit.id }} />
    </>
  );
}

/**
 * 转督办 of a report's 需协调问题: the same dialog prefilled with the problem, the project and its unit, created by the
 * report's own route (which remembers it: a report's problem becomes one matter); once done, a link to that matter.
 */
export function ReportProblemButton({ report, project, matter }: { report: { id: number; year: number; month: number; problems: string | null }; project: { id: number; name: string; unit_id: number }; matter: ReportMatter | null }) {
  const { t } = useI18n();
  const can = useCan();
  const [open, setOpen] = useState(false);
  const [made, setMade] = useState<ReportMatter | null>(null);
  const linked = matter ?? made;
  if (linked) return <Link to={`/matters/${linked.id}`} data-testid={`report-matter-${report.id}`}>{t('matters.hasMatter', { number: linked.number })}</Link>;
  if (!can('matter.assign') || !report.problems?.trim()) return null;
  return (
    <>
      <Button size="small" icon={<FlagOutlined />} onClick={() => setOpen(true)} data-testid={`report-to-matter-${report.id}`}>{t('matters.toMatter')}</Button>
      <CreateMatterModal open={open} onClose={() => setOpen(false)}
        preset={{
          title: `协调解决：${project.name}${report.year}年${report.month}月月报反映的问题`, content: report.problems, source: 'report', sourceId: report.id,
          leadUnitId: project.unit_id, projectIds: [project.id],
        }}
        create={async (body) => {
          const r = await reportApi.problemMatter(report.id, {
            title: body.title, content: body.content, lead_unit_id: body.lead_unit_id, co_unit_ids: body.co_unit_ids, type: body.type, urgency: body.urgency,
            due_on: body.due_on, feedback_days: body.feedback_days,
          });
          setMade(r);
          return r;
        }} />
    </>
  );
}
