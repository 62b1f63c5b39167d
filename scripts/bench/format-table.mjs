/** Plain-text tables for a terminal (and for pasting into a README as a code block). */

/** `rows` are arrays of strings; the first `labelColumns` columns are left-aligned, the figures right-aligned. */
export function formatTable(header, rows, labelColumns = 1) {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const align = (cell, column) => (column < labelColumns ? cell.padEnd(widths[column]) : cell.padStart(widths[column]));
  const line = (cells) => cells.map(align).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** Milliseconds with a precision that suits their size. */
export function ms(value) {
  if (!Number.isFinite(value)) return '-';
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toFixed(2);
}

/** CPU milliseconds per request or stream, to the microsecond. */
export function cpuMs(value) {
  return Number.isFinite(value) ? value.toFixed(3) : '-';
}

export function signedMs(value) {
  if (!Number.isFinite(value)) return '-';
  return `${value >= 0 ? '+' : ''}${ms(value)}`;
}

/** A paired difference: its median over rounds, and the range when there was more than one round. */
export function paired(difference, rounds) {
  if (!difference) return '-';
  const middle = signedMs(difference.median);
  return rounds > 1 ? `${middle} (${signedMs(difference.min)}..${signedMs(difference.max)})` : middle;
}

export function ratio(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : '-';
}
