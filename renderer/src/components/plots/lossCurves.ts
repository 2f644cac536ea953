import { formatNumber, valueAxisStyle, type PlotTheme } from './theme';

/**
 * The parts the two loss charts share (learned statistics' LossChart and
 * NPE's NpeLossChart): the frame, the epoch axis, a training or validation
 * curve, and the ring on the epoch whose weights were kept. What differs
 * stays in each chart: the y axis (log MSE with the prior-alone line, or
 * −log q) and the markers (best epoch, or where each round starts).
 */

type Point = readonly [number, number | null];

/** Grid, legend and axis tooltip, with room for a y-axis name at the left. */
export function lossChartFrame(theme: PlotTheme) {
  return {
    animation: false,
    textStyle: { color: theme.text },
    grid: { left: 62, right: 24, top: 40, bottom: 40 },
    legend: { top: 0, right: 4, textStyle: { color: theme.text, fontSize: 11 }, itemWidth: 14, itemHeight: 8 },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => formatNumber(Number(v)) },
  };
}

/** The epoch axis from 1, whole epochs only. */
export function epochAxis(theme: PlotTheme, max: number | 'dataMax') {
  return {
    type: 'value',
    name: 'epoch',
    nameLocation: 'middle',
    nameGap: 26,
    min: 1,
    max,
    minInterval: 1,
    ...valueAxisStyle(theme),
    splitLine: { show: false },
  };
}

/** A loss curve in the palette's first (training) or second (validation) colour; dots only while there are few epochs. */
export function lossSeries(theme: PlotTheme, name: 'training' | 'validation', data: readonly Point[], showSymbol: boolean, markLine?: object) {
  const color = theme.palette[name === 'training' ? 0 : 1];
  return { type: 'line' as const, name, symbolSize: 5, showSymbol, connectNulls: false, lineStyle: { width: 2, color }, itemStyle: { color }, data, markLine };
}

/** Open rings (no tooltip of their own) on the epochs whose weights were kept. */
export function keptEpochRings(theme: PlotTheme, name: string, data: readonly Point[]) {
  return {
    type: 'scatter' as const,
    name,
    symbol: 'circle',
    symbolSize: 11,
    itemStyle: { color: 'transparent', borderColor: theme.truth, borderWidth: 2 },
    data,
    tooltip: { show: false },
    z: 5,
  };
}
