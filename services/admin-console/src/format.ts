const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

export function count(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return Math.abs(value) >= 100_000 ? compact.format(value) : integer.format(value);
}

export function milliseconds(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return value >= 10_000 ? `${(value / 1_000).toFixed(1)} s` : `${integer.format(value)} ms`;
}

export function percent(part: number, whole: number): string {
  if (whole === 0) return '—';
  return `${((100 * part) / whole).toFixed(part === 0 ? 0 : 1)} %`;
}

/** A time left, as `1h 02m`, `3m 05s` or `12s`. */
export function timeLeft(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1_000));
  const h = Math.floor(seconds / 3_600);
  const m = Math.floor((seconds % 3_600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

export function clock(iso: string | number): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString();
}
