import { use, init, type ComposeOption, type ECharts } from 'echarts/core';
import {
  BarChart,
  CustomChart,
  LineChart,
  LinesChart,
  ParallelChart,
  ScatterChart,
  type BarSeriesOption,
  type CustomSeriesOption,
  type LineSeriesOption,
  type ParallelSeriesOption,
  type ScatterSeriesOption,
} from 'echarts/charts';
import {
  BrushComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent,
  type BrushComponentOption,
  type DataZoomComponentOption,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkAreaComponentOption,
  type MarkLineComponentOption,
  type ParallelComponentOption,
  type TitleComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

/**
 * The one place that registers the ECharts parts the app draws with
 * (tree-shaken core, so no eval and the strict CSP holds): line, lines,
 * scatter (large mode), bar, custom and parallel series; grids, titles,
 * legends, tooltips, data zoom, brush (exploration's selection), mark lines
 * and areas; canvas for the screen, SVG for export.
 */
use([
  LineChart,
  LinesChart,
  ScatterChart,
  BarChart,
  CustomChart,
  ParallelChart,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  DataZoomComponent,
  BrushComponent,
  ParallelComponent,
  CanvasRenderer,
  SVGRenderer,
]);

export type PlotOption = ComposeOption<
  | LineSeriesOption
  | ScatterSeriesOption
  | BarSeriesOption
  | CustomSeriesOption
  | ParallelSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkAreaComponentOption
  | MarkLineComponentOption
  | TitleComponentOption
  | TooltipComponentOption
  | DataZoomComponentOption
  | BrushComponentOption
  | ParallelComponentOption
>;

export type { ECharts };
export { init };

/** One colour per species, in order (colour-blind-safe Tableau 10). */
export const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** A colour with alpha, from a #rrggbb colour. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

export const AXIS_NAME_STYLE = { color: '#444', fontSize: 12 } as const;
