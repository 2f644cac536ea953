/**
 * sbibm's published C2ST, the mean over the ten observations (Lueckmann et
 * al. 2021, arXiv:2101.04653; sbi-benchmark/results,
 * benchmarking_sbi/results/main_paper.csv, as quoted in ../shared/sbibm/README.md).
 * Budgets are simulations. slcp and lotka_volterra list SNLE where the
 * other tasks list SNPE (the paper's best sequential method there).
 */
export type PublishedAlgorithm = 'REJ-ABC' | 'SMC-ABC' | 'NPE' | 'SNPE' | 'SNLE';

type Row = Readonly<Record<1000 | 10000 | 100000, number>>;

export const PUBLISHED_C2ST: Readonly<Record<string, Partial<Record<PublishedAlgorithm, Row>>>> = {
  gaussian_linear: {
    'REJ-ABC': { 1000: 0.913, 10000: 0.858, 100000: 0.802 },
    'SMC-ABC': { 1000: 0.922, 10000: 0.829, 100000: 0.726 },
    NPE: { 1000: 0.694, 10000: 0.552, 100000: 0.506 },
    SNPE: { 1000: 0.652, 10000: 0.544, 100000: 0.507 },
  },
  two_moons: {
    'REJ-ABC': { 1000: 0.96, 10000: 0.847, 100000: 0.664 },
    'SMC-ABC': { 1000: 0.922, 10000: 0.707, 100000: 0.663 },
    NPE: { 1000: 0.725, 10000: 0.606, 100000: 0.542 },
    SNPE: { 1000: 0.643, 10000: 0.554, 100000: 0.53 },
  },
  slcp: {
    'REJ-ABC': { 1000: 0.982, 10000: 0.973, 100000: 0.961 },
    'SMC-ABC': { 1000: 0.982, 10000: 0.969, 100000: 0.963 },
    NPE: { 1000: 0.975, 10000: 0.901, 100000: 0.831 },
    SNLE: { 1000: 0.921, 10000: 0.713, 100000: 0.578 },
  },
  sir: {
    'REJ-ABC': { 1000: 0.964, 10000: 0.838, 100000: 0.713 },
    'SMC-ABC': { 1000: 0.921, 10000: 0.626, 100000: 0.613 },
    NPE: { 1000: 0.815, 10000: 0.68, 100000: 0.585 },
    SNPE: { 1000: 0.638, 10000: 0.561, 100000: 0.575 },
  },
  lotka_volterra: {
    'REJ-ABC': { 1000: 1.0, 10000: 1.0, 100000: 0.998 },
    'SMC-ABC': { 1000: 1.0, 10000: 0.996, 100000: 0.995 },
    NPE: { 1000: 0.999, 10000: 0.997, 100000: 0.981 },
    SNLE: { 1000: 0.909, 10000: 0.738, 100000: 0.695 },
  },
};

/** The published C2ST of `algorithm` on `task` at `budget` simulations, if sbibm reported one. */
export function publishedC2st(task: string, algorithm: PublishedAlgorithm | undefined, budget: number): number | undefined {
  if (!algorithm) return undefined;
  return (PUBLISHED_C2ST[task]?.[algorithm] as Record<number, number> | undefined)?.[budget];
}
