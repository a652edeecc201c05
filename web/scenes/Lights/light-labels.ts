import type { LightColor } from '../../api/types.ts';

/** Screen colours of the lights (also readable as text: the tag carries the name). */
export const LIGHT_COLORS: Record<LightColor, string> = { red: '#cf1322', yellow: '#d48806', green: '#389e0d', none: '#8c8c8c' };

/** antd tag presets of the lights. */
export const LIGHT_TAGS: Record<LightColor, string> = { red: 'red', yellow: 'gold', green: 'green', none: 'default' };
