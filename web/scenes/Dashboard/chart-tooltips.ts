import { escapeHtml } from '../../components/charts/escape.ts';
import { formatWan } from '../../format.ts';

/** What the unit bar tooltip shows of one breakdown row. */
export interface UnitTooltipRow {
  label: string;
  indicators: { sums: { planned_investment: number; completed_ytd: number }; completion_rate: { text: string } };
}

/** The unit bar chart's tooltip (HTML): the unit name is user text and is escaped. */
export function unitTooltip(u: UnitTooltipRow | undefined, labels: { planned: string; completed: string; rate: string }): string {
  if (!u) return '';
  const i = u.indicators;
  return `${escapeHtml(u.label)}<br/>${escapeHtml(labels.planned)}：${formatWan(i.sums.planned_investment)}<br/>`
    + `${escapeHtml(labels.completed)}：${formatWan(i.sums.completed_ytd)}<br/>${escapeHtml(labels.rate)}：${escapeHtml(i.completion_rate.text)}%`;
}

/** The category pie's tooltip (HTML): the category name is user text and is escaped. */
export function categoryTooltip(p: { name?: string; value?: number; percent?: number }, projects: string): string {
  return `${escapeHtml(p.name)}<br/>${escapeHtml(p.value)} ${escapeHtml(projects)}（${escapeHtml(p.percent)}%）`;
}
