import type { ChartOption } from './echarts.ts';

/** ECharts options for the analytics cards (plain data in, no React). */

const GREEN = '#07c160';
const RED = '#d92d20';
const BLUE = '#175cd3';
const GREY = '#6b7280';
const PALETTE = [GREEN, BLUE, '#f79009', '#7a5af8', '#ee46bc', GREY];

const base = (legend: boolean): ChartOption => ({
  color: PALETTE,
  tooltip: { trigger: 'axis' },
  grid: { left: 8, right: 8, top: legend ? 36 : 12, bottom: 8, containLabel: true },
  ...(legend ? { legend: { top: 0 } } : {}),
  animation: false,
});

export function barsAndLines(dates: string[], bars: Array<{ name: string; data: number[]; color?: string; stack?: string }>, lines: Array<{ name: string; data: number[]; color?: string; rightAxis?: boolean }>): ChartOption {
  const right = lines.some((l) => l.rightAxis);
  return {
    ...base(true),
    xAxis: { type: 'category', data: dates.map((d) => d.slice(5)) },
    yAxis: right ? [{ type: 'value', minInterval: 1 }, { type: 'value', minInterval: 1, splitLine: { show: false } }] : { type: 'value' },
    series: [
      ...bars.map((b) => ({ type: 'bar' as const, name: b.name, data: b.data, ...(b.stack ? { stack: b.stack } : {}), ...(b.color ? { itemStyle: { color: b.color } } : {}) })),
      ...lines.map((l) => ({ type: 'line' as const, name: l.name, data: l.data, smooth: false, symbolSize: 4, showSymbol: dates.length <= 45, yAxisIndex: l.rightAxis ? 1 : 0, ...(l.color ? { itemStyle: { color: l.color }, lineStyle: { color: l.color } } : {}) })),
    ],
  };
}

export function horizontalBars(labels: string[], values: number[], name: string): ChartOption {
  return {
    ...base(false),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: labels, inverse: true, axisLabel: { width: 140, overflow: 'truncate' } },
    series: [{ type: 'bar', name, data: values, itemStyle: { color: GREEN }, label: { show: true, position: 'right' } }],
  };
}

export function funnel(steps: Array<{ name: string; value: number }>): ChartOption {
  return {
    color: [GREEN, BLUE, '#f79009', '#7a5af8'],
    tooltip: { trigger: 'item' },
    animation: false,
    series: [{
      type: 'funnel', left: '10%', width: '80%', top: 8, bottom: 8, sort: 'none', minSize: '8%', gap: 2,
      label: { show: true, position: 'inside', formatter: '{b}: {c}' },
      data: steps,
    }],
  };
}

export const COLORS = { GREEN, RED, BLUE, GREY };
