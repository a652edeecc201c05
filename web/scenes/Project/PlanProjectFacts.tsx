import { Descriptions, Tag } from 'antd';
import type { NodePlan } from '../../api/nodeplans.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { stageColor, stageKey } from '../../stages.ts';

/**
 * The project's basic facts that come with its node plan: all a unit leading one of the nodes sees of a project
 * outside its scope (who builds it, where, whom to call, its planned dates).
 */
export function PlanProjectFacts({ project }: { project: NodePlan['project'] }) {
  const { t } = useI18n();
  const key = stageKey(project.stage);
  const dash = (v: string | null) => v || '—';
  return (
    <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} title={t('nodes.facts')} data-testid="plan-project-facts"
      items={[
        { key: 'code', label: t('nodes.facts.code'), children: dash(project.code) },
        { key: 'unit', label: t('nodes.facts.unit'), children: dash(project.unit_name) },
        { key: 'stage', label: t('nodes.facts.stage'), children: <Tag color={stageColor(project.stage)}>{key ? t(key) : project.stage}</Tag> },
        { key: 'region', label: t('nodes.facts.region'), children: dash(project.region_name ?? project.region_code) },
        { key: 'address', label: t('nodes.facts.address'), children: dash(project.address) },
        { key: 'builder', label: t('nodes.facts.builder'), children: dash(project.builder_name) },
        { key: 'contact', label: t('nodes.facts.contact'), children: [project.builder_contact, project.builder_phone].filter(Boolean).join(' ') || '—' },
        { key: 'dates', label: t('nodes.facts.dates'), children: [project.planned_start_date, project.planned_completion_date, project.planned_production_date].map(dash).join(' / ') },
      ]} />
  );
}
