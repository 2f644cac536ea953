import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue';
import { init, type ECharts } from './echarts';

export interface EChartHandle {
  /** The live instance (null before mount and after unmount). */
  chart(): ECharts | null;
  /** Draw the current option again (replacing the previous one). */
  render(): void;
}

export interface EChartOptions {
  /** Called once the instance exists, before the first draw (event handlers). */
  readonly onInit?: (chart: ECharts) => void;
  /** Called after every draw with the option (a chart that merges instead of replacing draws itself). */
  readonly draw?: (chart: ECharts, option: unknown) => void;
}

/**
 * The one way a chart component owns an ECharts instance: created on mount
 * in `host`, redrawn whenever `option()` changes, resized with its
 * container, disposed on unmount. Every chart of the app (plots,
 * trajectories, histograms, the exploration scatter) goes through it, so
 * sizing and clean-up behave the same everywhere.
 */
export function useEChart(host: Readonly<Ref<HTMLElement | null>>, option: () => unknown, options: EChartOptions = {}): EChartHandle {
  let chart: ECharts | null = null;
  let observer: ResizeObserver | null = null;

  function render(): void {
    if (!chart) return;
    const value = option();
    if (value === null || value === undefined) return;
    if (options.draw) options.draw(chart, value);
    else chart.setOption(value as Parameters<ECharts['setOption']>[0], { notMerge: true });
  }

  function attach(element: HTMLElement): void {
    chart = init(element, null, { renderer: 'canvas' });
    options.onInit?.(chart);
    render();
    observer = new ResizeObserver(() => chart?.resize());
    observer.observe(element);
  }

  function detach(): void {
    observer?.disconnect();
    observer = null;
    chart?.dispose();
    chart = null;
  }

  onMounted(() => {
    if (host.value) attach(host.value);
  });
  // A host shown with v-if (a chart that appears when data arrives) mounts after the component.
  watch(host, (element) => {
    detach();
    if (element) attach(element);
  });
  watch(option, render);
  onBeforeUnmount(detach);

  return { chart: () => chart, render };
}
