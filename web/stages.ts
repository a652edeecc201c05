import type { MessageKey } from './i18n/zh-CN.ts';

/** Project stages in their usual order, as the API spells them. */
export const STAGES = ['idea', 'reserve', 'preliminary', 'signed', 'started', 'completed', 'producing', 'paused', 'ended'] as const;

const COLORS: Record<string, string> = {
  idea: 'default', reserve: 'default', preliminary: 'gold', signed: 'cyan', started: 'blue', completed: 'green', producing: 'purple', paused: 'red', ended: 'default',
};

/** The message key for a stage (unknown stages print as they are). */
export function stageKey(stage: string): MessageKey | undefined {
  return (STAGES as readonly string[]).includes(stage) ? (`stage.${stage}` as MessageKey) : undefined;
}

/** The tag colour for a stage. */
export function stageColor(stage: string): string {
  return COLORS[stage] ?? 'default';
}
