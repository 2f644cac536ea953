import { use, init, type ComposeOption, type ECharts } from 'echarts/core'
import { BarChart, CustomChart, LineChart, ScatterChart, type BarSeriesOption, type CustomSeriesOption, type LineSeriesOption, type ScatterSeriesOption } from 'echarts/charts'
import {
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkAreaComponentOption,
  type MarkLineComponentOption,
  type TitleComponentOption,
  type TooltipComponentOption
} from 'echarts/components'
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers'

/**
 * The one place that registers the ECharts parts the plots use (tree-shaken
 * core: line, scatter, bar and custom series; grids, titles, legends,
 * tooltips, mark lines and areas; canvas for the screen, SVG for export).
 */
use([LineChart, ScatterChart, BarChart, CustomChart, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TitleComponent, TooltipComponent, CanvasRenderer, SVGRenderer])

export type PlotOption = ComposeOption<
  | LineSeriesOption
  | ScatterSeriesOption
  | BarSeriesOption
  | CustomSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkAreaComponentOption
  | MarkLineComponentOption
  | TitleComponentOption
  | TooltipComponentOption
>

export type { ECharts }
export { init }
