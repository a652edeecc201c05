// The bulletin's path: draft → reviewing (submitted for review) → issued (签发, the signer recorded). A reviewer
// may send a submitted draft back; an issued bulletin is corrected by a re-issue, which opens a new draft revision
// while every issued version stays as it was. TODO(platform): move onto core/workflow.ts when it lands.

export const BULLETIN_STATUSES = ['draft', 'reviewing', 'issued'] as const;
export type BulletinStatus = (typeof BULLETIN_STATUSES)[number];

export const BULLETIN_ACTIONS = {
  submit: { from: ['draft'], to: 'reviewing', permission: 'bulletin.write' },
  return: { from: ['reviewing'], to: 'draft', permission: 'bulletin.sign' },
  sign: { from: ['reviewing'], to: 'issued', permission: 'bulletin.sign' },
  reissue: { from: ['issued'], to: 'draft', permission: 'bulletin.write' },
} as const satisfies Record<string, { from: readonly BulletinStatus[]; to: BulletinStatus; permission: string }>;
export type BulletinAction = keyof typeof BULLETIN_ACTIONS;

export const STATUS_LABELS: Record<BulletinStatus, string> = { draft: '草稿', reviewing: '待审核签发', issued: '已签发' };
const ACTION_LABELS: Record<BulletinAction, string> = { submit: '提交审核', return: '退回', sign: '签发', reissue: '更正重发' };

/** The status after an action, or a Chinese refusal naming why it cannot be taken now. */
export function nextStatus(status: BulletinStatus, action: BulletinAction): { ok: true; to: BulletinStatus } | { ok: false; reason: string } {
  const a = BULLETIN_ACTIONS[action];
  if ((a.from as readonly BulletinStatus[]).includes(status)) return { ok: true, to: a.to };
  return { ok: false, reason: `通报当前为“${STATUS_LABELS[status]}”，不能${ACTION_LABELS[action]}（须为“${a.from.map((s) => STATUS_LABELS[s]).join('”或“')}”）` };
}
