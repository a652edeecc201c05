// One shape for every workflow (审批/办理流程): states and actions as data, like core/lights.ts's rule sets. An
// action names the states it starts from, where it leads, the permission it needs and whether it needs a reason
// (说明理由) or evidence (佐证材料). Services ask next() and record the move in a status log (see
// server/platform/status-log.ts); the web asks choices() to show only the buttons that work.

/** What an action needs besides the permission. */
export type ActionNeed = 'reason' | 'evidence';

/** What decides an action's target when it depends on who acts (a reviewer's correction stays approved). */
export interface MoveContext {
  /** True when the actor holds the permission (the caller decides: role matrix, API token …). */
  has?: (permission: string) => boolean;
  reason?: string | null | undefined;
  /** Evidence attached to the move (file ids, a link …): any non-empty value counts. */
  evidence?: readonly unknown[] | null | undefined;
}

/** One action of a workflow. `to` is a state, 'stay' (the status does not change) or a function of the context. */
export interface ActionSpec<S extends string> {
  from: readonly S[];
  to: S | 'stay' | ((from: S, ctx: MoveContext) => S);
  permission: string;
  needs?: ActionNeed;
  /** The verb in Chinese ('提交', '审核通过'). */
  label: string;
  /** Appended to the refusal in a state the action does not start from ('，只有已提交的月报可以退回'). */
  hint?: string | ((from: S) => string);
}

export interface WorkflowSpec<S extends string, A extends string> {
  /** The thing moving, in Chinese ('月报', '督办事项'): refusals start with it. */
  noun: string;
  states: readonly S[];
  /** Each state's Chinese label. */
  stateLabels: Record<S, string>;
  actions: Record<A, ActionSpec<S>>;
}

/** A refused move, with its Chinese message. `kind` lets the server answer 409 (state) or 403/422 (the others). */
export class WorkflowRefusal extends Error {
  readonly kind: 'state' | 'permission' | 'reason' | 'evidence';
  constructor(kind: WorkflowRefusal['kind'], message: string) {
    super(message);
    this.name = 'WorkflowRefusal';
    this.kind = kind;
  }
}

export interface Workflow<S extends string, A extends string> {
  readonly spec: WorkflowSpec<S, A>;
  /** True when the status is one of the workflow's states. */
  isState(status: string): status is S;
  /** True when the action may start from this state (permission and reason aside). */
  can(status: S, action: A): boolean;
  /** Why the action is refused in this state, in Chinese. */
  refusal(status: S, action: A): string;
  /** The state after the action; throws WorkflowRefusal (state, permission, reason, evidence — in that order). */
  next(status: S, action: A, ctx?: MoveContext): S;
  /** The actions that can start from this state and whose permission the actor holds, in declaration order. */
  choices(status: S, has?: (permission: string) => boolean): A[];
}

/** Builds a workflow from its data, checking the data once (every `from`/`to` a declared state). */
export function defineWorkflow<const S extends string, const A extends string>(spec: WorkflowSpec<S, A>): Workflow<S, A> {
  const states = new Set<string>(spec.states);
  const actions = Object.keys(spec.actions) as A[];
  for (const a of actions) {
    const { from, to } = spec.actions[a];
    for (const s of from) if (!states.has(s)) throw new Error(`workflow ${spec.noun}: action ${a} starts from unknown state ${s}`);
    if (typeof to === 'string' && to !== 'stay' && !states.has(to)) throw new Error(`workflow ${spec.noun}: action ${a} leads to unknown state ${to}`);
  }
  const can = (status: S, action: A) => spec.actions[action].from.includes(status);
  const refusal = (status: S, action: A) => {
    const { label, hint } = spec.actions[action];
    const extra = typeof hint === 'function' ? hint(status) : (hint ?? '');
    return `${spec.noun}当前状态为“${spec.stateLabels[status] ?? status}”，不能${label}${extra}`;
  };
  return {
    spec,
    isState: (status: string): status is S => states.has(status),
    can,
    refusal,
    next(status, action, ctx = {}) {
      const a = spec.actions[action];
      if (!can(status, action)) throw new WorkflowRefusal('state', refusal(status, action));
      if (ctx.has && !ctx.has(a.permission)) throw new WorkflowRefusal('permission', `无权${a.label}该${spec.noun}`);
      if (a.needs === 'reason' && !ctx.reason?.trim()) throw new WorkflowRefusal('reason', `${a.label}${spec.noun}须说明理由`);
      if (a.needs === 'evidence' && !(ctx.evidence && ctx.evidence.length > 0)) throw new WorkflowRefusal('evidence', `${a.label}${spec.noun}须上传佐证材料`);
      return a.to === 'stay' ? status : typeof a.to === 'function' ? a.to(status, ctx) : a.to;
    },
    choices: (status, has) => actions.filter((a) => can(status, a) && (!has || has(spec.actions[a].permission))),
  };
}

/**
 * The shape of one status-log row (entity_type, entity_id, from, to, action, reason, actor, at): every workflow
 * entity records its moves in the `status_log` table in this shape (server/platform/status-log.ts).
 */
export interface StatusLogEntry {
  entityType: string;
  entityId: number;
  from: string | null;
  to: string;
  action: string;
  reason: string | null;
  actorId: number | null;
  /** ISO-8601 UTC, from the clock. */
  at: string;
}
