/**
 * Escapes text for ECharts tooltip and label formatters, whose result is set as innerHTML: every user text (unit,
 * category, project names) goes through here, so stored markup is shown as text, never run or rendered.
 */
export function escapeHtml(text: string | number | null | undefined): string {
  return String(text ?? '').replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}
