// Spreadsheet text that would run as a formula (OWASP CSV injection), neutralized on the way out and restored on the
// way in. Pure, shared by the exports (which write it) and the imports (which read a re-imported export back).

/** Undoes the export's formula neutralization: "'=SUM(A1)" was written for "=SUM(A1)". */
export function unneutralize(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

/** Neutralizes text that a spreadsheet would run as a formula (OWASP CSV injection): prefix with a quote. */
export function neutralize(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
