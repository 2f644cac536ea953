import { PALETTE } from '../../charts/echarts';

/** Colours the plots share: the app's light theme; the palette is the trajectory charts' one, so a species keeps its colour. */
export interface PlotTheme {
  readonly text: string;
  readonly muted: string;
  readonly axis: string;
  readonly split: string;
  readonly background: string;
  readonly prior: string;
  readonly truth: string;
  readonly observed: string;
  readonly particle: string;
  readonly palette: readonly string[];
}

const THEME: PlotTheme = {
  text: '#1f2328',
  muted: '#6a737d',
  axis: '#aab1bd',
  split: '#eef1f4',
  background: '#ffffff',
  prior: 'rgba(47, 111, 179, 0.07)',
  truth: '#c0392b',
  observed: '#111418',
  particle: '#1c2a4a',
  palette: PALETTE,
};

export function plotTheme(): PlotTheme {
  return THEME;
}

/** `#rrggbb` with an alpha, as rgba(). */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Axis styling for a value axis. */
export function valueAxisStyle(theme: PlotTheme) {
  return {
    axisLine: { lineStyle: { color: theme.axis } },
    axisTick: { lineStyle: { color: theme.axis } },
    axisLabel: { color: theme.muted, fontSize: 11, hideOverlap: true },
    splitLine: { lineStyle: { color: theme.split } },
    nameTextStyle: { color: theme.muted, fontSize: 11 },
  };
}

/** Compact number for axis labels and captions (3 significant digits). */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e5 || abs < 1e-3)) return value.toExponential(2);
  return Number(value.toPrecision(3)).toString();
}
