import { useState } from 'react';
import { App, Button, Dropdown, Form, Input, Modal, Typography } from 'antd';
import { DownOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/i18n.tsx';
import { ApiError } from '../../api/client.ts';
import { projectApi } from '../../api/endpoints.ts';
import type { Project } from '../../api/types.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';

type Action = { key: string; label: string; run: (reason: string | null) => Promise<Project>; needsReason?: boolean; danger?: boolean };

/**
 * The library moves an office makes from the project page: 谋划 → 储备 → (初审, 终审) → 实施, 退库 with a reason from
 * any tier, and 恢复 to the tier a withdrawn project left. Only the moves core/tiers.ts allows from here are offered;
 * the server checks them again.
 */
export function TierActions({ project, onChanged }: { project: Project; onChanged: (p: Project) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [pending, setPending] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ reason?: string }>();
  const tierName = (tier: string) => t(`tier.${tier}` as MessageKey);
  const move = (to: string) => (reason: string | null) => projectApi.changeTier(project.id, { to, reason, version: project.version });
  const review = (step: string) => () => projectApi.review(project.id, step, project.version);

  const actions: Action[] = [];
  if (project.tier === 'idea') actions.push({ key: 'reserve', label: t('tierMove.to', { tier: tierName('reserve') }), run: move('reserve') });
  if (project.tier === 'reserve') {
    const r = typeof project.reserve_review === 'string' ? project.reserve_review : 'none';
    if (r === 'none') actions.push({ key: 'initial', label: t('tierMove.reviewInitial'), run: review('initial') });
    if (r === 'initial') actions.push({ key: 'final', label: t('tierMove.reviewFinal'), run: review('final') });
    if (r === 'final') actions.push({ key: 'implementation', label: t('tierMove.to', { tier: tierName('implementation') }), run: move('implementation') });
  }
  if (project.tier === 'withdrawn') {
    const back = typeof project.tier_before_withdraw === 'string' ? project.tier_before_withdraw : 'idea';
    actions.push({ key: 'restore', label: t('tierMove.restore', { tier: tierName(back) }), run: move(back) });
  } else {
    actions.push({ key: 'withdrawn', label: t('tierMove.withdraw'), run: move('withdrawn'), needsReason: true, danger: true });
  }

  const confirm = async () => {
    if (!pending) return;
    const values = await form.validateFields();
    setBusy(true);
    try {
      const p = await pending.run(values.reason?.trim() || null);
      void message.success(t('tierMove.done', { action: pending.label }));
      setPending(null);
      onChanged(p);
    } catch (e) {
      if (e instanceof ApiError) void message.error(e.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Dropdown
        trigger={['click']}
        menu={{
          items: actions.map((a) => ({ key: a.key, label: <span data-testid={`tier-${a.key}`}>{a.label}</span>, danger: a.danger })),
          onClick: ({ key }) => {
            form.resetFields();
            setPending(actions.find((a) => a.key === key) ?? null);
          },
        }}
      >
        <Button data-testid="tier-actions">{t('tierMove.action')} <DownOutlined /></Button>
      </Dropdown>
      <Modal
        open={pending !== null} title={pending?.label} onCancel={() => setPending(null)} onOk={() => void confirm()} confirmLoading={busy}
        okText={pending?.label} okButtonProps={{ danger: pending?.danger }}
      >
        <Typography.Paragraph>{t('tierMove.confirm', { name: project.name, action: pending?.label ?? '' })}</Typography.Paragraph>
        {project.tier === 'reserve' && project.reserve_review !== 'final' && pending?.key !== 'withdrawn' && (
          <Typography.Paragraph type="secondary">{t('tierMove.needFinal')}</Typography.Paragraph>
        )}
        {pending?.needsReason && (
          <Form form={form} layout="vertical">
            <Form.Item name="reason" label={t('tierMove.reason')} rules={[{ required: true, whitespace: true, message: t('tierMove.reasonRequired') }]}>
              <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} data-testid="tier-reason" />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </>
  );
}
