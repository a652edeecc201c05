import { STAGES as CORE_STAGES } from '../core/stages.ts';
import type { MessageKey } from './i18n/zh-CN.ts';

/** Project stages in the order of the road, as the API spells them (core/stages.ts). */
export const STAGES = CORE_STAGES;

const COLORS: Record<string, string> = {
  planning: 'default', preliminary: 'gold', signed: 'cyan', started: 'blue', completed: 'green', producing: 'purple', paused: 'red',
};

/** The message key for a stage (unknown stages print as they are). */
export function stageKey(stage: string): MessageKey | undefined {
  return (STAGES as readonly string[]).includes(stage) ? (`stage.${stage}` as MessageKey) : undefined;
}

/** The tag colour for a stage. */
export function stageColor(stage: string): string {
  return COLORS[stage] ?? 'default';
}

/** Project natures (建设性质) as the API spells them, with their message keys. */
export const NATURES = ['new', 'continued', 'expansion', 'reconstruction', 'tech_upgrade'] as const;
