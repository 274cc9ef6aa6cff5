import type { EChartsCoreOption } from 'echarts/core';
import type { ReportRow, TimeseriesPoint } from './reports.models';

/** Chart colours, read from the Material theme's CSS variables so both themes stay readable. */
export interface ChartPalette {
  readonly text: string;
  readonly muted: string;
  readonly grid: string;
  readonly primary: string;
  readonly secondary: string;
  readonly tertiary: string;
  readonly error: string;
  readonly surface: string;
}

export const FALLBACK_PALETTE: ChartPalette = {
  text: '#1b1b1f',
  muted: '#46464f',
  grid: '#c7c5d0',
  primary: '#4355b9',
  secondary: '#5b5d72',
  tertiary: '#77536d',
  error: '#ba1a1a',
  surface: '#ffffff',
};

const VARIABLES: Readonly<Record<keyof ChartPalette, string>> = {
  text: '--mat-sys-on-surface',
  muted: '--mat-sys-on-surface-variant',
  grid: '--mat-sys-outline-variant',
  primary: '--mat-sys-primary',
  secondary: '--mat-sys-secondary',
  tertiary: '--mat-sys-tertiary',
  error: '--mat-sys-error',
  surface: '--mat-sys-surface-container',
};

/** Resolves the theme variables on `element` (light-dark() values are resolved by the browser). */
export function readPalette(element: Element | null): ChartPalette {
  if (element === null || typeof getComputedStyle !== 'function') return FALLBACK_PALETTE;
  const style = getComputedStyle(element);
  const read = (key: keyof ChartPalette): string => {
    const value = style.getPropertyValue(VARIABLES[key]).trim();
    return value === '' ? FALLBACK_PALETTE[key] : value;
  };
  return {
    text: read('text'),
    muted: read('muted'),
    grid: read('grid'),
    primary: read('primary'),
    secondary: read('secondary'),
    tertiary: read('tertiary'),
    error: read('error'),
    surface: read('surface'),
  };
}

export interface ChartLabels {
  readonly calls: string;
  readonly asr: string;
  readonly concurrent: string;
  readonly failures: string;
  readonly cost: string;
}

function base(p: ChartPalette, ariaLabel: string): EChartsCoreOption {
  return {
    aria: { enabled: true, label: { description: ariaLabel } },
    textStyle: { color: p.text },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', backgroundColor: p.surface, borderColor: p.grid, textStyle: { color: p.text } },
    legend: { top: 0, textStyle: { color: p.text } },
    animation: false,
  };
}

function categoryAxis(p: ChartPalette, data: readonly string[]): object {
  return {
    type: 'category',
    data,
    axisLabel: { color: p.muted },
    axisLine: { lineStyle: { color: p.grid } },
  };
}

function valueAxis(p: ChartPalette, extra: object = {}): object {
  return { type: 'value', axisLabel: { color: p.muted }, splitLine: { lineStyle: { color: p.grid } }, ...extra };
}

/** Calls (bars) and ASR % (line, right axis) per bucket. */
export function callsAndAsrOptions(points: readonly TimeseriesPoint[], labelOf: (p: TimeseriesPoint) => string, l: ChartLabels, p: ChartPalette): EChartsCoreOption {
  return {
    ...base(p, `${l.calls}, ${l.asr}`),
    xAxis: categoryAxis(p, points.map(labelOf)),
    yAxis: [valueAxis(p, { minInterval: 1 }), valueAxis(p, { min: 0, max: 100, splitLine: { show: false } })],
    series: [
      { name: l.calls, type: 'bar', data: points.map((x) => x.metrics.calls), itemStyle: { color: p.primary } },
      { name: l.asr, type: 'line', yAxisIndex: 1, data: points.map((x) => x.metrics.asr), itemStyle: { color: p.tertiary }, lineStyle: { color: p.tertiary }, connectNulls: false },
    ],
  };
}

/** Peak concurrent calls per bucket. */
export function concurrencyOptions(points: readonly TimeseriesPoint[], labelOf: (p: TimeseriesPoint) => string, l: ChartLabels, p: ChartPalette): EChartsCoreOption {
  return {
    ...base(p, l.concurrent),
    xAxis: categoryAxis(p, points.map(labelOf)),
    yAxis: valueAxis(p, { minInterval: 1 }),
    series: [{ name: l.concurrent, type: 'line', step: 'end', areaStyle: { opacity: 0.2 }, data: points.map((x) => x.metrics.peak_concurrent), itemStyle: { color: p.secondary }, lineStyle: { color: p.secondary } }],
  };
}

/** Horizontal bars of one value per row (cost by country, failures by cause). */
export function rowBarsOptions(rows: readonly ReportRow[], labelOf: (r: ReportRow) => string, valueOf: (r: ReportRow) => number, name: string, color: 'primary' | 'error', p: ChartPalette): EChartsCoreOption {
  const shown = rows.slice(0, 10).reverse();
  return {
    ...base(p, name),
    tooltip: { trigger: 'item', backgroundColor: p.surface, borderColor: p.grid, textStyle: { color: p.text } },
    legend: { show: false },
    grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
    xAxis: valueAxis(p),
    yAxis: categoryAxis(p, shown.map(labelOf)),
    series: [{ name, type: 'bar', data: shown.map(valueOf), itemStyle: { color: p[color] } }],
  };
}
