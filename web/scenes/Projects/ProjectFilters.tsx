import { useEffect, useState } from 'react';
import { ALL_REGIONS } from '../../api/jurisdiction.ts';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { Button, Flex, Input, InputNumber, Select, Tag } from 'antd';
import { FilterOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/i18n.tsx';
import type { ProjectListQuery, Unit } from '../../api/types.ts';
import { NATURES, STAGES, stageKey } from '../../stages.ts';
import { EXTRA_FILTERS, type ExtraFilter } from './useProjectFilters.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';

/** The filter bar of the project list. */
type Extra = Partial<Record<ExtraFilter, string>>;

const TIERS = ['idea', 'reserve', 'implementation', 'withdrawn'] as const;
const LEVELS = ['national', 'province', 'city', 'county'] as const;
/** The campaign groups (专项行动: 四个一批, 三个一批) offices use; the import accepts the same names. */
const CAMPAIGN_GROUPS = ['投产达产', '加快建设', '促进开工', '前期储备', '签约一批', '开工一批', '投产一批', '竣工一批'] as const;

export function ProjectFilters({ query, units, onChange, onReset }: {
  query: ProjectListQuery & Extra;
  units: Unit[];
  onChange: (patch: Partial<ProjectListQuery> & Extra) => void;
  onReset: () => void;
}) {
  const { t } = useI18n();
  const [more, setMore] = useState(false);
  const multi = (key: ExtraFilter, values: readonly string[], label: (v: string) => string) => (
    <Select
      mode="multiple" allowClear style={{ minWidth: 160, flex: '1 1 160px' }} placeholder={t(`projects.filter.${key}` as MessageKey)}
      aria-label={t(`projects.filter.${key}` as MessageKey)} value={query[key] ? query[key].split(',') : []}
      options={values.map((v) => ({ value: v, label: label(v) }))} onChange={(v: string[]) => onChange({ [key]: v.length ? v.join(',') : undefined })}
    />
  );
  const active = EXTRA_FILTERS.filter((k) => query[k]);
  const [q, setQ] = useState(query.q ?? '');
  useEffect(() => setQ(query.q ?? ''), [query.q]);
  const stages = query.stage ? query.stage.split(',') : [];
  return (
    <Flex wrap gap={8} style={{ marginBottom: 12 }} role="search">
      <Input.Search
        aria-label={t('projects.filter.q')}
        data-testid="filter-q"
        placeholder={t('projects.filter.q')}
        allowClear
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onSearch={(v) => onChange({ q: v.trim() || undefined })}
        style={{ flex: '2 1 220px', minWidth: 200 }}
        enterButton={t('common.search')}
      />
      <RegionPicker
        value={query.region} onChange={(region) => onChange({ region: region ?? ALL_REGIONS })}
        placeholder={t('projects.filter.region')} testId="filter-region" style={{ minWidth: 180, flex: '1 1 180px' }}
      />
      <UnitPicker
        units={units} value={query.unit} onChange={(unit) => onChange({ unit })}
        placeholder={t('projects.filter.unit')} testId="filter-unit" style={{ minWidth: 180, flex: '1 1 180px' }}
      />
      <Select
        aria-label={t('projects.filter.stage')}
        data-testid="filter-stage"
        mode="multiple"
        allowClear
        style={{ minWidth: 180, flex: '1 1 180px' }}
        placeholder={t('projects.filter.stage')}
        value={stages}
        options={STAGES.map((s) => ({ value: s, label: t(stageKey(s)!) }))}
        onChange={(v: string[]) => onChange({ stage: v.length ? v.join(',') : undefined })}
      />
      <Button icon={<FilterOutlined />} onClick={() => setMore((m) => !m)} aria-expanded={more}>{t('projects.filter.more')}</Button>
      <Button onClick={onReset}>{t('common.reset')}</Button>
      {more && (
        <Flex wrap gap={8} style={{ width: '100%' }} data-testid="more-filters">
          <InputNumber
            min={2000} max={2100} placeholder={t('projects.filter.year')} aria-label={t('projects.filter.year')} style={{ width: 150 }}
            value={query.year ? Number(query.year) : null} onChange={(v) => onChange({ year: v ? String(v) : undefined })}
          />
          {multi('nature', NATURES, (v) => t(`nature.${v}` as MessageKey))}
          {multi('tier', TIERS, (v) => t(`tier.${v}` as MessageKey))}
          {multi('level', LEVELS, (v) => t(`level.${v}` as MessageKey))}
          {multi('campaign_group', CAMPAIGN_GROUPS, (v) => v)}
          <Select
            allowClear style={{ width: 150 }} placeholder={t('projects.filter.is_key_of_key')} aria-label={t('projects.filter.is_key_of_key')}
            data-testid="filter-key-of-key" value={query.is_key_of_key}
            options={[{ value: 'true', label: t('projects.filter.keyOfKeyOnly') }, { value: 'false', label: t('projects.filter.keyOfKeyNot') }]}
            onChange={(v: string | undefined) => onChange({ is_key_of_key: v })}
          />
          <Input
            key={`batch-${query.batch ?? ''}`} allowClear placeholder={t('projects.filter.batch')} aria-label={t('projects.filter.batch')} style={{ width: 140 }}
            data-testid="filter-batch" defaultValue={query.batch} onPressEnter={(e) => onChange({ batch: e.currentTarget.value.trim() || undefined })}
            onBlur={(e) => e.currentTarget.value.trim() !== (query.batch ?? '') && onChange({ batch: e.currentTarget.value.trim() || undefined })}
          />
          <Input
            allowClear placeholder={t('projects.filter.category')} aria-label={t('projects.filter.category')} style={{ width: 160 }}
            defaultValue={query.category} onPressEnter={(e) => onChange({ category: e.currentTarget.value.trim() || undefined })}
            onBlur={(e) => e.currentTarget.value.trim() !== (query.category ?? '') && onChange({ category: e.currentTarget.value.trim() || undefined })}
          />
        </Flex>
      )}
      {active.length > 0 && (
        <Flex wrap gap={4} style={{ width: '100%' }} data-testid="active-filters">
          {active.map((k) => (
            <Tag key={k} closable onClose={() => onChange({ [k]: undefined })}>{t(`projects.filter.${k}` as MessageKey)}：{query[k]}</Tag>
          ))}
        </Flex>
      )}
    </Flex>
  );
}
