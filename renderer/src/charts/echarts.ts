import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { BarChart, LineChart, LinesChart, ScatterChart } from 'echarts/charts'
import { DataZoomComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components'

/** The ECharts parts the app's charts use, registered once (tree-shaken build; no eval, so the strict CSP holds). */
use([CanvasRenderer, LineChart, LinesChart, ScatterChart, BarChart, GridComponent, LegendComponent, TooltipComponent, DataZoomComponent, TitleComponent])

/** One colour per species, in order (colour-blind-safe Tableau 10). */
export const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac']

/** A colour with alpha, from a #rrggbb colour. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16)
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`
}

export const AXIS_NAME_STYLE = { color: '#444', fontSize: 12 } as const
