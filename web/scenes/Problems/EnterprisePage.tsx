import { Link, useParams } from 'react-router';
import { Card, Descriptions, Image, List, Space, Table, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { problemsApi } from '../../api/problems.ts';
import { useCan } from '../../auth.tsx';
import { formatWan } from '../../format.ts';
import { StatusTag } from './ProblemsPage.tsx';
import { EnterpriseMattersCard } from '../Supervision/EnterpriseMattersCard.tsx';

/** One enterprise: its cadres and their visit plans, visits with photos, problems, projects and attraction leads. */
export function EnterprisePage() {
  const { t } = useI18n();
  const can = useCan();
  const id = Number(useParams().id);
  const e = useLoad(() => problemsApi.enterprise(id), [id]);
  if (e.error) return <LoadError error={e.error} onRetry={e.reload} />;
  const d = e.data;
  if (!d) return <Card loading />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card title={d.name}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }} items={[
          { label: t('enterprise.uscc'), children: d.uscc ?? '—' },
          { label: t('enterprise.industry'), children: d.industry ?? '—' },
          { label: t('enterprise.size'), children: d.size ? t(`enterprise.size.${d.size}` as MessageKey) : '—' },
          { label: t('enterprise.contact'), children: [d.contact_name, d.contact_phone].filter(Boolean).join(' ') || '—' },
          { label: t('enterprise.address'), children: d.address ?? '—' },
        ]} />
      </Card>
      <Card size="small" title={t('enterprise.cadres')}>
        <Table rowKey="id" size="small" pagination={false} scroll={{ x: 640 }} dataSource={d.cadres} columns={[
          { title: t('enterprise.cadreName'), dataIndex: 'name' },
          { title: t('enterprise.cadreRole'), dataIndex: 'role', render: (r: string) => t(`enterprise.role.${r}` as MessageKey) },
          { title: t('enterprise.post'), dataIndex: 'post' },
          { title: t('enterprise.plan'), key: 'plan', render: (_, c) => c.visit_every_months ? t('enterprise.everyMonths', { n: c.visit_every_months }) : '—' },
          { title: t('enterprise.lastVisit'), dataIndex: 'last_visit_on', render: (v: string | null) => v ?? '—' },
          { title: t('enterprise.nextDue'), key: 'next', render: (_, c) => c.plan.next_due ? <span>{c.plan.next_due}{c.plan.overdue ? <Tag color="red" style={{ marginLeft: 4 }}>{t('enterprise.visitOverdue', { n: c.plan.days_overdue })}</Tag> : null}</span> : '—' },
        ]} />
      </Card>
      <Card size="small" title={t('enterprise.visits')}>
        <List dataSource={d.visits} locale={{ emptyText: t('enterprise.noVisits') }} renderItem={(v) => (
          <List.Item>
            <Space direction="vertical" size={2}>
              <Typography.Text strong>{v.visited_on} · {v.visitors}</Typography.Text>
              <Typography.Text>{v.content}</Typography.Text>
              {v.photos.length > 0 && <Image.PreviewGroup>{v.photos.map((p) => <Image key={p.id} src={p.url} width={72} height={72} style={{ objectFit: 'cover' }} />)}</Image.PreviewGroup>}
              {v.problem_ids.length > 0 && <Typography.Text type="secondary">{t('enterprise.visitProblems', { n: v.problem_ids.length })}</Typography.Text>}
            </Space>
          </List.Item>
        )} />
      </Card>
      <Card size="small" title={t('enterprise.problems')}>
        <Table rowKey="id" size="small" pagination={false} scroll={{ x: 560 }} dataSource={d.problems} columns={[
          { title: t('problem.title'), dataIndex: 'title' },
          { title: t('problem.category'), dataIndex: 'category_name' },
          { title: t('problem.owner'), dataIndex: 'owner_unit_name' },
          { title: t('problem.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('problem.receivedOn'), dataIndex: 'received_on' },
        ]} />
      </Card>
      {/* 督办事项 naming this enterprise (关联企业), within the reader's matter scope. */}
      <EnterpriseMattersCard enterprise={{ id: d.id, name: d.name }} />
      <Card size="small" title={t('enterprise.projects')}>
        <List dataSource={d.projects} locale={{ emptyText: '—' }} renderItem={(p) => <List.Item><Link to={`/projects/${p.id}`}>{p.name}</Link></List.Item>} />
      </Card>
      {/* Its attraction leads (招商线索, linked from the lead by USCC or by choice), within the reader's scope. */}
      <Card size="small" title={t('enterprise.leads')} data-testid="enterprise-leads">
        <Table rowKey="id" size="small" pagination={false} scroll={{ x: 640 }} dataSource={d.leads} locale={{ emptyText: t('enterprise.noLeads') }} columns={[
          { title: t('enterprise.leadName'), dataIndex: 'name', render: (v: string, l) => (can('attraction.read') ? <Link to={`/attraction/${l.id}`}>{v}</Link> : v) },
          { title: t('enterprise.leadStage'), dataIndex: 'stage', width: 90, render: (s: string, l) => <Tag color={l.terminated_on ? 'default' : 'blue'}>{t(`attraction.stage.${l.terminated_on ? 'terminated' : s}` as MessageKey)}</Tag> },
          { title: t('enterprise.leadTeam'), dataIndex: 'team_name', render: (v: string | null) => v ?? '—' },
          { title: t('enterprise.leadAmount'), key: 'amount', align: 'right', render: (_, l) => formatWan(l.signed_amount ?? l.intended_amount) },
          { title: t('enterprise.leadSignedOn'), dataIndex: 'signed_on', render: (v: string | null) => v ?? '—' },
        ]} />
        {d.leads_hidden > 0 && <Typography.Text type="secondary">{t('enterprise.leadsHidden', { n: d.leads_hidden })}</Typography.Text>}
      </Card>
    </Space>
  );
}
