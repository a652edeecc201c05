// The bulletin's path: draft → reviewing (submitted for review) → issued (签发, the signer recorded). A reviewer
// may send a submitted draft back; an issued bulletin is corrected by a re-issue, which opens a new draft revision
// while every issued version stays as it was. States and actions as data (core/workflow.ts).
import { defineWorkflow } from '../workflow.ts';

export const BULLETIN_STATUSES = ['draft', 'reviewing', 'issued'] as const;
export type BulletinStatus = (typeof BULLETIN_STATUSES)[number];
export type BulletinAction = 'submit' | 'return' | 'sign' | 'reissue';

export const STATUS_LABELS: Record<BulletinStatus, string> = { draft: '草稿', reviewing: '待审核签发', issued: '已签发' };

export const BULLETIN_WORKFLOW = defineWorkflow<BulletinStatus, BulletinAction>({
  noun: '通报',
  states: BULLETIN_STATUSES,
  stateLabels: STATUS_LABELS,
  actions: {
    submit: { from: ['draft'], to: 'reviewing', permission: 'bulletin.write', label: '提交审核' },
    return: { from: ['reviewing'], to: 'draft', permission: 'bulletin.sign', needs: 'reason', label: '退回', hint: '，只有待审核签发的通报可以退回' },
    sign: { from: ['reviewing'], to: 'issued', permission: 'bulletin.sign', label: '签发', hint: '，须先提交审核' },
    reissue: { from: ['issued'], to: 'draft', permission: 'bulletin.write', needs: 'reason', label: '更正重发', hint: '，只有已签发的通报需要更正重发' },
  },
});
