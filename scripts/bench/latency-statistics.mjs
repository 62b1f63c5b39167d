/** Percentiles and means over latency samples in ms. */

/** Sorted copy, ascending (numbers, not strings). */
export function sorted(samples) {
  return Float64Array.from(samples).sort();
}

/** The p-th percentile (0–100) of ascending samples, interpolated between the two nearest ranks. */
export function percentile(ascending, p) {
  if (ascending.length === 0) return NaN;
  const rank = (p / 100) * (ascending.length - 1);
  const below = Math.floor(rank);
  const above = Math.min(below + 1, ascending.length - 1);
  return ascending[below] + (ascending[above] - ascending[below]) * (rank - below);
}

export function mean(samples) {
  if (samples.length === 0) return NaN;
  let sum = 0;
  for (const sample of samples) sum += sample;
  return sum / samples.length;
}

/** The middle value: how paired per-round differences are summarised (one odd round cannot swing it). */
export function median(values) {
  return percentile(sorted(values), 50);
}
