import { useState, type ReactElement } from 'react';
import { App, Button, Modal, Table, Typography } from 'antd';
import { ApiError } from '../../api/client.ts';
import { supervisionSettingsApi, type SupervisionSettings } from '../../api/supervision.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';

/** The keys the settings page edits (its two cards). */
export type SettingsKey = 'ladder' | 'feedback_ladder' | 'letter_on_step' | 'matter_prefix' | 'letter_prefixes' | 'letter_templates' | 'reply_working_days';
export type SettingsPatch = Partial<Pick<SupervisionSettings, SettingsKey>>;
/** A save refused as stale: the settings the clerk started from, the stored ones now, and the clerk's change. */
export interface SettingsConflict { base: SupervisionSettings; current: SupervisionSettings; mine: SettingsPatch }

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** The keys of my change that someone else changed since I started from `base`. */
export const changedByOthers = ({ base, current, mine }: SettingsConflict) => (Object.keys(mine) as SettingsKey[]).filter((k) => !same(current[k], base[k]));

/**
 * Saves a change made on `base` (its version). When another save came first but touched none of the keys of this
 * change (e.g. the other card of the same page, or another clerk's templates while I edit the ladders), it is sent
 * again on the stored version; when it touched one of them, the conflict is returned for the clerk to decide.
 */
export async function saveSettings(base: SupervisionSettings, mine: SettingsPatch): Promise<{ saved: SupervisionSettings } | { conflict: SettingsConflict }> {
  let from = base;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      return { saved: await supervisionSettingsApi.put({ ...mine, version: from.version }) };
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'version_conflict')) throw e;
      const current = (e.details as { current?: SupervisionSettings } | null)?.current ?? (await supervisionSettingsApi.get());
      const conflict = { base, current, mine };
      if (changedByOthers(conflict).length > 0 || attempt > 0) return { conflict };
      from = current;
    }
  }
  throw new Error('unreachable');
}

/** A short reading of a setting's value, for the conflict table. */
function summary(key: SettingsKey, v: SupervisionSettings[SettingsKey]): string {
  switch (key) {
    case 'ladder':
    case 'feedback_ladder':
      return (v as SupervisionSettings['ladder']).map((s) => `${s.label}（${s.offset > 0 ? '+' : ''}${s.offset}）`).join('、') || '—';
    case 'letter_on_step':
      return Object.entries(v as SupervisionSettings['letter_on_step']).map(([k, l]) => `${k}→${l}`).join('、') || '—';
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

/** The dialog of a stale settings save: each setting the other save changed, theirs and mine; discard or reapply. */
export function SettingsConflictModal({ conflict, onDiscard, onReapply }: { conflict: SettingsConflict | null; onDiscard: () => void; onReapply: () => void }) {
  const { t } = useI18n();
  const rows = conflict ? changedByOthers(conflict).map((k) => ({ key: k, before: summary(k, conflict.base[k]), after: summary(k, conflict.current[k]), mine: summary(k, conflict.mine[k]!) })) : [];
  return (
    <Modal open={conflict !== null} title={t('supSettings.conflict.title')} onCancel={onDiscard} width={720} data-testid="settings-conflict"
      footer={[
        <Button key="discard" onClick={onDiscard} data-testid="settings-conflict-discard">{t('project.conflict.discard')}</Button>,
        <Button key="reapply" type="primary" onClick={onReapply} data-testid="settings-conflict-reapply">{t('project.conflict.reapply')}</Button>,
      ]}>
      <Typography.Paragraph>{t('supSettings.conflict.intro')}</Typography.Paragraph>
      <Table size="small" pagination={false} rowKey="key" scroll={{ x: 560 }} data-testid="settings-conflict-table" dataSource={rows}
        columns={[
          { title: t('project.conflict.field'), dataIndex: 'key', width: 130, render: (k: SettingsKey) => t(`supSettings.conflict.key.${k}` as MessageKey) },
          { title: t('project.conflict.theirs'), render: (_v, r) => <><del style={{ color: '#999' }}>{r.before}</del><br />{r.after}</> },
          { title: t('project.conflict.mine'), dataIndex: 'mine' },
        ]} />
    </Modal>
  );
}

/**
 * The save of one card of the settings page: the settings the clerk started from (`touch` on the first edit; the
 * save names their version), the send with its stale-save dialog (`modal`), and `saving`. `done` runs after a save
 * and after discarding in the dialog: the card drops its draft and reloads.
 */
export function useSettingsSave(savedText: string, done: () => void): {
  saving: boolean; touch: (loaded: SupervisionSettings) => void; forget: () => void;
  save: (loaded: SupervisionSettings, mine: SettingsPatch) => Promise<void>; modal: ReactElement;
} {
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [base, setBase] = useState<SupervisionSettings | null>(null);
  const [conflict, setConflict] = useState<SettingsConflict | null>(null);
  const send = async (from: SupervisionSettings, mine: SettingsPatch) => {
    setSaving(true);
    try {
      const r = await saveSettings(from, mine);
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
    modal: <SettingsConflictModal conflict={conflict}
      onDiscard={() => { setConflict(null); setBase(null); done(); }}
      onReapply={() => { const c = conflict!; setConflict(null); setBase(c.current); void send(c.current, c.mine); }} />,
  };
}
