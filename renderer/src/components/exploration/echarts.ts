import { use, init, type ECharts } from 'echarts/core'
import { ParallelChart, ScatterChart } from 'echarts/charts'
import { BrushComponent, GridComponent, ParallelComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

/**
 * The ECharts parts of the exploration view: scatter (large mode) with the
 * brush (rectangle and lasso selection), and parallel coordinates for the
 * parameter space. Registered once; the tree-shaken core keeps the strict CSP.
 */
use([ScatterChart, ParallelChart, GridComponent, ParallelComponent, BrushComponent, TooltipComponent, CanvasRenderer])

export type { ECharts }
export { init }
