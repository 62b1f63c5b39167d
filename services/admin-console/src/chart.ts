import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom.js';

export interface ChartSeries {
  label: string;
  values: ReadonlyArray<number | null>;
}

export interface TimeChart {
  element: HTMLElement;
  update(times: readonly number[], series: readonly ChartSeries[]): void;
  destroy(): void;
}

const PALETTE = ['--series-1', '--series-2', '--series-3', '--series-4', '--series-5', '--series-6'];

/**
 * A time-series chart (uPlot) that fills its card's width and follows it when the window changes. Its
 * element carries the sum of its first series in `data-sum`, and says the same in its caption, so a person
 * and a test both see it move.
 */
export function timeChart(title: string, name: string, format: (value: number | null) => string): TimeChart {
  const caption = h('span', { class: 'chart-total' });
  const area = h('div', { class: 'chart-area' });
  const element = h('figure', { class: 'chart', attrs: { 'data-chart': name } }, h('figcaption', {}, h('span', {}, title), caption), area);
  let plot: uPlot | undefined;
  let labels = '';
  const resize = new ResizeObserver(() => plot?.setSize({ width: widthOf(area), height: heightOf() }));
  resize.observe(area);

  return {
    element,
    update(times, series) {
      const data: uPlot.AlignedData = [times.map((time) => time / 1_000), ...series.map((one) => [...one.values])] as uPlot.AlignedData;
      const first = series[0]?.values ?? [];
      const sum = first.reduce<number>((total, value) => total + (value ?? 0), 0);
      element.setAttribute('data-sum', String(sum));
      caption.textContent = series.length > 0 ? `${series[0]?.label}: ${format(latest(first))} now` : '';
      const nextLabels = series.map((one) => one.label).join('\u0000');
      if (plot && nextLabels === labels) {
        plot.setData(data);
        return;
      }
      plot?.destroy();
      labels = nextLabels;
      plot = new uPlot(optionsFor(series, format, widthOf(area)), data, area);
    },
    destroy() {
      resize.disconnect();
      plot?.destroy();
    },
  };
}

function optionsFor(series: readonly ChartSeries[], format: (value: number | null) => string, width: number): uPlot.Options {
  const style = getComputedStyle(document.documentElement);
  const color = (variable: string) => style.getPropertyValue(variable).trim() || '#888';
  const axis: uPlot.Axis = { stroke: color('--muted'), grid: { stroke: color('--grid'), width: 1 }, ticks: { stroke: color('--grid'), width: 1 } };
  return {
    width,
    height: heightOf(),
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
    scales: { x: { time: true } },
    axes: [axis, { ...axis, values: (_plot, ticks) => ticks.map((tick) => format(tick)), size: 64 }],
    series: [
      {},
      ...series.map((one, index) => ({
        label: one.label,
        stroke: color(PALETTE[index % PALETTE.length] as string),
        width: 2,
        // Points too: a minute with traffic between quiet ones is a single value, which a line alone would not show.
        points: { show: true, size: 4 },
        spanGaps: false,
        value: (_plot: uPlot, value: number | null) => format(value),
      })),
    ],
  };
}

function latest(values: ReadonlyArray<number | null>): number | null {
  for (let index = values.length - 1; index >= 0; index -= 1) if (values[index] !== null && values[index] !== undefined) return values[index] as number;
  return null;
}

function widthOf(area: HTMLElement): number {
  return Math.max(200, Math.floor(area.clientWidth || area.parentElement?.clientWidth || 300));
}

function heightOf(): number {
  return window.innerWidth < 600 ? 160 : 200;
}
