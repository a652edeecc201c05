import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Breadcrumb, Button, Card, Empty, Flex, Skeleton, Tabs, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCan } from '../../auth.tsx';
import { projectApi } from '../../api/endpoints.ts';
import { useRegionNames, useUnits } from '../../api/reference.ts';
import type { Project } from '../../api/types.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { ApiError } from '../../api/client.ts';
import { ProjectEditForm } from './ProjectEditForm.tsx';
import { ProjectRecord } from './ProjectRecord.tsx';
import { TierActions } from './TierActions.tsx';
import { PlansTab } from './PlansTab.tsx';
import { StagesTab } from './StagesTab.tsx';
import { ReportsTab } from './ReportsTab.tsx';
import { LightsTab } from './LightsTab.tsx';
import { ChangesTab } from './ChangesTab.tsx';
import { NodesTab } from './NodesTab.tsx';
import { PlanProjectFacts } from './PlanProjectFacts.tsx';
import { nodePlanApi, type NodePlan } from '../../api/nodeplans.ts';
import { AssignMatterButton } from '../Supervision/AssignMatterButton.tsx';

/** The project page: basic information and, as their APIs land, plans, reports, stages, lights and history. */
export function ProjectPage() {
  const { t } = useI18n();
  const { id } = useParams();
  const [params, setParams] = useSearchParams();
  const can = useCan();
  const units = useUnits();
  const [project, setProject] = useState<Project | null>(null);
  const [error, setError] = useState<unknown>(null);
  // A unit leading one of the project's nodes, the project outside its scope: its to-do's link opens the plan only.
  const [outside, setOutside] = useState<NodePlan | null>(null);
  const [editing, setEditing] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const projectId = Number(id);
  const regionNames = useRegionNames(project ? [project.region_code] : []);

  useEffect(() => {
    let alive = true;
    setError(null);
    setOutside(null);
    projectApi.get(projectId, { quiet: true }).then((p) => alive && setProject(p), (e: unknown) => {
      if (!alive) return;
      if (!(e instanceof ApiError && e.status === 404)) {
        setError(e);
        return;
      }
      nodePlanApi.get(projectId, { quiet: true }).then((plan) => alive && setOutside(plan), () => alive && setError(e));
    });
    return () => {
      alive = false;
    };
  }, [projectId, attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  const canEdit = can('project.write');
  const canAdmin = can('project.admin');

  if (outside) {
    return (
      <div>
        <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: t('nav.todos') }, { title: outside.project.name }, { title: t('project.tab.nodes') }]} />
        <Card title={<Typography.Title level={4} style={{ margin: 0, whiteSpace: 'normal' }} data-testid="project-title">{outside.project.name}</Typography.Title>}>
          <PlanProjectFacts project={outside.project} />
          <Typography.Title level={5} style={{ marginTop: 16 }}>{t('project.tab.nodes')}</Typography.Title>
          <NodesTab project={outside.project} initial={outside} />
        </Card>
      </div>
    );
  }
  if (error) {
    const notFound = error instanceof ApiError && error.status === 404;
    return notFound ? <Empty description={error.message}><Link to="/projects">{t('common.back')}</Link></Empty> : <LoadError error={error} onRetry={retry} />;
  }
  if (!project) return <Card><Skeleton active /></Card>;

  const tabs: { key: string; label: MessageKey; children: ReactNode }[] = [
    {
      key: 'basic', label: 'project.tab.basic',
      children: editing
        ? <ProjectEditForm project={project} units={units} isOffice={canAdmin} onCancel={() => setEditing(false)} onSaved={(p) => {
          setProject(p);
          setEditing(false);
        }} />
        : <ProjectRecord project={project} units={units} regionName={regionNames[project.region_code] ?? project.region_code} />,
    },
    { key: 'plans', label: 'project.tab.plans', children: <PlansTab project={project} canEdit={can('plan.write')} /> },
    { key: 'reports', label: 'project.tab.reports', children: <ReportsTab project={project} canCorrect={canEdit} /> },
    { key: 'stages', label: 'project.tab.stages', children: <StagesTab project={project} canEdit={canEdit} onChanged={setProject} /> },
    { key: 'nodes', label: 'project.tab.nodes', children: <NodesTab project={project} /> },
    { key: 'lights', label: 'project.tab.lights', children: <LightsTab project={project} /> },
    { key: 'changes', label: 'project.tab.changes', children: <ChangesTab project={project} /> },
  ];
  const active = tabs.some((tab) => tab.key === params.get('tab')) ? params.get('tab')! : 'basic';

  return (
    <div>
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/projects">{t('nav.projects')}</Link> }, { title: project.name }]} />
      <Card
        title={<Typography.Title level={4} style={{ margin: 0, whiteSpace: 'normal' }} data-testid="project-title">{project.name}</Typography.Title>}
        extra={(
          <Flex gap={8} wrap>
            <AssignMatterButton project={project} />
            {!editing && active === 'basic' && canAdmin && <TierActions project={project} onChanged={setProject} />}
            {!editing && active === 'basic' && canEdit && <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-project">{t('common.edit')}</Button>}
          </Flex>
        )}
        styles={{ header: { flexWrap: 'wrap' } }}
      >
        <Tabs
          activeKey={active}
          onChange={(key) => setParams(key === 'basic' ? {} : { tab: key }, { replace: true })}
          items={tabs.map((tab) => ({ key: tab.key, label: t(tab.label), children: tab.children }))}
        />
      </Card>
    </div>
  );
}
