import { useState, type ReactElement } from 'react';
import { App, Button, Modal, Table, Typography } from 'antd';
import { ApiError } from '../../api/client.ts';
import { supervisionSettingsApi, type SupervisionSettings, type YearRules } from '../../api/supervision.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';

/**
 * A resource saved with optimistic versions (a stale save answers 409 version_conflict, with the stored record as
 * `details.current`): how to save a change made on a loaded copy, how to read it again, and how the conflict dialog
 * names and prints each field.
 */
export interface VersionedResource<T extends { version: number }, K extends keyof T & string> {
  /** Sends `mine` (the fields the clerk changed) as a change made on `from` (its version). */
  save: (from: T, mine: Partial<Pick<T, K>>) => Promise<T>;
  /** The stored record now (when a 409 does not carry it). */
  load: () => Promise<T>;
  /** The dialog's title and its first line. */
  title: string;
  intro: string;
  /** A field's name and a short reading of a value, for the dialog's table. */
  label: (key: K) => string;
  summary: (key: K, value: T[K]) => string;
}

/** A save refused as stale: the record the clerk started from, the stored one now, and the clerk's change. */
export interface Conflict<T, K extends keyof T> { base: T; current: T; mine: Partial<Pick<T, K>> }

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** The fields of my change that someone else changed since I started from `base`. */
export function changedByOthers<T, K extends keyof T & string>({ base, current, mine }: Conflict<T, K>): K[] {
  return (Object.keys(mine) as K[]).filter((k) => !same(current[k], base[k]));
}

/**
 * Saves a change made on `base` (its version). When another save came first but touched none of the fields of this
 * change (e.g. the other card of the same page, or another clerk's templates while I edit the ladders), it is sent
 * again on the stored version; when it touched one of them, the conflict is returned for the clerk to decide.
 */
export async function saveVersioned<T extends { version: number }, K extends keyof T & string>(
  resource: VersionedResource<T, K>, base: T, mine: Partial<Pick<T, K>>,
): Promise<{ saved: T } | { conflict: Conflict<T, K> }> {
  let from = base;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      return { saved: await resource.save(from, mine) };
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'version_conflict')) throw e;
      const carried = (e.details as { current?: T } | null)?.current;
      const current = carried && typeof carried.version === 'number' ? carried : await resource.load();
      const conflict = { base, current, mine };
      if (changedByOthers(conflict).length > 0 || attempt > 0) return { conflict };
      from = current;
    }
  }
  throw new Error('unreachable');
}

/** The dialog of a stale save: each field the other save changed, theirs (before → now) and mine; keep theirs or save mine. */
function ConflictModal<T extends { version: number }, K extends keyof T & string>({ resource, conflict, onDiscard, onReapply }: {
  resource: VersionedResource<T, K>; conflict: Conflict<T, K> | null; onDiscard: () => void; onReapply: () => void;
}) {
  const { t } = useI18n();
  const rows = conflict ? changedByOthers(conflict).map((k) => ({
    key: k, before: resource.summary(k, conflict.base[k]), after: resource.summary(k, conflict.current[k]), mine: resource.summary(k, conflict.mine[k] as T[K]),
  })) : [];
  return (
    <Modal open={conflict !== null} title={resource.title} onCancel={onDiscard} width={720} data-testid="settings-conflict"
      footer={[
        <Button key="discard" onClick={onDiscard} data-testid="settings-conflict-discard">{t('project.conflict.discard')}</Button>,
        <Button key="reapply" type="primary" onClick={onReapply} data-testid="settings-conflict-reapply">{t('project.conflict.reapply')}</Button>,
      ]}>
      <Typography.Paragraph>{resource.intro}</Typography.Paragraph>
      <Table size="small" pagination={false} rowKey="key" scroll={{ x: 560 }} data-testid="settings-conflict-table" dataSource={rows}
        columns={[
          { title: t('project.conflict.field'), dataIndex: 'key', width: 130, render: (k: K) => resource.label(k) },
          { title: t('project.conflict.theirs'), render: (_v, r) => <><del style={{ color: '#999' }}>{r.before}</del><br />{r.after}</> },
          { title: t('project.conflict.mine'), dataIndex: 'mine' },
        ]} />
    </Modal>
  );
}

/**
 * The save of a card that edits a versioned resource (the office-wide settings, a year's escalation rules …): the
 * record the clerk started from (`touch` on the first edit; the save names its version), the send with its
 * stale-save dialog (`modal`: theirs versus mine field by field; keep theirs, or save mine on the latest version),
 * and `saving`. `done` runs after a save and after keeping theirs: the card drops its draft and reloads.
 */
export function useSettingsSave<T extends { version: number }, K extends keyof T & string>(resource: VersionedResource<T, K>, savedText: string, done: () => void): {
  saving: boolean; touch: (loaded: T) => void; forget: () => void;
  save: (loaded: T, mine: Partial<Pick<T, K>>) => Promise<void>; modal: ReactElement;
} {
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [base, setBase] = useState<T | null>(null);
  const [conflict, setConflict] = useState<Conflict<T, K> | null>(null);
  const send = async (from: T, mine: Partial<Pick<T, K>>) => {
    setSaving(true);
    try {
      const r = await saveVersioned(resource, from, mine);
      if ('conflict' in r) {
        setConflict(r.conflict);
        return;
      }
      void message.success(savedText);
      setBase(null);
      done();
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };
  return {
    saving,
    touch: (loaded) => { if (!base) setBase(loaded); },
    forget: () => setBase(null),
    save: (loaded, mine) => send(base ?? loaded, mine),
    modal: <ConflictModal resource={resource} conflict={conflict}
      onDiscard={() => { setConflict(null); setBase(null); done(); }}
      onReapply={() => { const c = conflict!; setConflict(null); setBase(c.current); void send(c.current, c.mine); }} />,
  };
}

// ---- the two resources of the 督办设置 page --------------------------------------------------------------------

/** The keys the settings page edits (its cards) of the office-wide settings. */
export type SettingsKey = 'ladder' | 'feedback_ladder' | 'letter_on_step' | 'matter_prefix' | 'letter_prefixes' | 'letter_templates' | 'reply_working_days';
export type SettingsPatch = Partial<Pick<SupervisionSettings, SettingsKey>>;
/** The keys of one year's escalation rules. */
export type YearRuleKey = 'ladder' | 'feedback_ladder' | 'letter_on_step' | 'letter_on_create';

type Ladder = SupervisionSettings['ladder'];
const ladderText = (v: Ladder) => v.map((s) => `${s.label || s.key}（${s.offset > 0 ? '+' : ''}${s.offset}）`).join('、') || '—';
const letterMapText = (v: SupervisionSettings['letter_on_step']) => Object.entries(v).map(([k, l]) => `${k}→${l}`).join('、') || '—';

/** A short reading of an office-wide setting's value, for the conflict table. */
function settingSummary(key: SettingsKey, v: SupervisionSettings[SettingsKey]): string {
  switch (key) {
    case 'ladder':
    case 'feedback_ladder':
      return ladderText(v as Ladder);
    case 'letter_on_step':
      return letterMapText(v as SupervisionSettings['letter_on_step']);
    case 'letter_prefixes':
      return Object.values(v as SupervisionSettings['letter_prefixes']).join('、');
    case 'letter_templates':
      return Object.values(v as SupervisionSettings['letter_templates']).map((x) => x.title).join('；');
    case 'matter_prefix':
      return v as string;
    case 'reply_working_days':
      return `${v as number}`;
  }
}

/** The office-wide supervision settings (GET|PUT /supervision/settings) as a versioned resource. */
export function useOfficeSettingsResource(): VersionedResource<SupervisionSettings, SettingsKey> {
  const { t } = useI18n();
  return {
    save: (from, mine) => supervisionSettingsApi.put({ ...mine, version: from.version }),
    load: () => supervisionSettingsApi.get(),
    title: t('supSettings.conflict.title'), intro: t('supSettings.conflict.intro'),
    label: (k) => t(`supSettings.conflict.key.${k}` as MessageKey),
    summary: settingSummary,
  };
}

/** One year's escalation rules (GET|PUT /supervision/rules/:year) as a versioned resource. */
export function useYearRulesResource(year: number): VersionedResource<YearRules, YearRuleKey> {
  const { t } = useI18n();
  return {
    save: (from, mine) => supervisionSettingsApi.putYearRules(year, { ...mine, version: from.version }),
    load: () => supervisionSettingsApi.yearRules(year),
    title: t('supRules.conflict.title', { year }), intro: t('supRules.conflict.intro', { year }),
    label: (k) => t(k === 'letter_on_create' ? 'supRules.conflict.key.letter_on_create' : `supSettings.conflict.key.${k}` as MessageKey),
    summary: (k, v) => (k === 'letter_on_create' ? (v ? t('supRules.conflict.yes') : t('supRules.conflict.no'))
      : k === 'letter_on_step' ? letterMapText(v as YearRules['letter_on_step']) : ladderText(v as Ladder)),
  };
}
