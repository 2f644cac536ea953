import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ApiArgs, ExplorationEmbedding, ExplorationPropagation, ExplorationProposal, ExplorationView } from '../../../engine/api/contract';
import { callEngine, onEngineEvent } from '../api/callEngine';
import type { ShownError } from '../api/errors';
import { PALETTE } from '../charts/echarts';
import { useEngineCall, type EngineCall } from '../composables/useEngineCall';
import { useProjectStore } from './project';

/** What the scatter is coloured by: user labels, propagated labels, entropy, or one parameter or feature (`parameter:<name>`, `feature:<name>`). */
export type ColourBy = 'label' | 'propagated' | 'entropy' | `parameter:${string}` | `feature:${string}`;

export type BatchSource = NonNullable<ApiArgs<'explore.runBatch'>['source']>;

export interface TaskProgress {
  readonly completed: number;
  readonly total: number;
  readonly message: string;
}

/** The session's output times, for previews of its points (an evenly spaced grid from 0). */
export interface SessionTime {
  readonly end: number;
  readonly points: number;
}

/** Class colours: the species palette, from its third colour on, so the first classes are not the grey of unlabelled points. */
export const CLASS_COLOURS = [PALETTE[3], PALETTE[0], PALETTE[2], PALETTE[1], PALETTE[6], PALETTE[4], PALETTE[5], PALETTE[7], PALETTE[8]];

function storageKey(kind: string, project: string, name: string): string {
  return `sciope.explore.${kind}:${project}:${name}`;
}

function readJson<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

/**
 * The open exploration session: its points (view), 2-D embedding,
 * propagated labels, active-learning proposal, the user's selection, and
 * what is running (with task.progress events of `explore:<name>`).
 * Class colours and the session's time grid are kept in localStorage per
 * project and session (the engine stores neither).
 */
export const useExplorationStore = defineStore('exploration', () => {
  const projectStore = useProjectStore();
  const sessions = ref<string[]>([]);
  const view = shallowRef<ExplorationView | null>(null);
  const embedding = shallowRef<ExplorationEmbedding | null>(null);
  const propagation = shallowRef<ExplorationPropagation | null>(null);
  const proposal = shallowRef<ExplorationProposal | null>(null);
  const selected = shallowRef<number[]>([]);
  const colourBy = ref<ColourBy>('label');
  const colours = ref<Record<string, string>>({});
  const time = ref<SessionTime | null>(null);
  const progress = ref<TaskProgress | null>(null);
  /** What is running ('create', 'batch', 'embed', 'label', 'propagate', 'propose'), or null. */
  const busy = ref<string | null>(null);
  const error = shallowRef<{ context: string; error: ShownError } | null>(null);
  /** The project the session belongs to (a switched project drops it). */
  const projectPath = ref<string | null>(null);
  let listening = false;

  const name = computed(() => view.value?.name ?? null);
  const pointCount = computed(() => view.value?.parameters.length ?? 0);
  /** True when points were simulated after the last embedding. */
  const embeddingStale = computed(() => embedding.value !== null && embedding.value.x.length !== pointCount.value);
  const propagationStale = computed(() => propagation.value !== null && propagation.value.hard.length !== pointCount.value);

  function classColour(className: string, index: number): string {
    return colours.value[className] ?? CLASS_COLOURS[index % CLASS_COLOURS.length];
  }

  function setClassColour(className: string, colour: string): void {
    colours.value = { ...colours.value, [className]: colour };
    if (projectPath.value && name.value) localStorage.setItem(storageKey('colours', projectPath.value, name.value), JSON.stringify(colours.value));
  }

  function listen(): void {
    if (listening) return;
    listening = true;
    onEngineEvent((event) => {
      if (event.type !== 'task.progress' || !name.value || event.task !== `explore:${name.value}`) return;
      if (busy.value !== null) progress.value = { completed: event.completed, total: event.total, message: event.message };
    });
  }

  // One action at a time (the view disables the others while one runs); a cancel it reports is not an error.
  const action = useEngineCall((work: () => Promise<unknown>) => work());
  const cancelling = useEngineCall('explore.cancel');
  const listing = useEngineCall(() => (projectStore.project ? callEngine('explore.list') : Promise.resolve([])));

  /** Show a call's failure above the session, saying what was being done. */
  function report(call: Pick<EngineCall<never, unknown>, 'error'>, context: string): void {
    if (call.error.value) error.value = { context, error: call.error.value };
  }

  async function act<T>(what: string, context: string, work: () => Promise<T>): Promise<T | undefined> {
    busy.value = what;
    error.value = null;
    progress.value = null;
    const result = (await action.run(work)) as T | undefined;
    report(action, context);
    busy.value = null;
    progress.value = null;
    return result;
  }

  /** Stop the batch or embedding in progress (its call then reports that it was cancelled). */
  async function cancel(): Promise<void> {
    const current = name.value;
    if (!current || busy.value === null) return;
    await cancelling.run({ name: current });
    report(cancelling, 'Cancelling');
  }

  function reset(): void {
    view.value = null;
    embedding.value = null;
    propagation.value = null;
    proposal.value = null;
    selected.value = [];
    colourBy.value = 'label';
    colours.value = {};
    time.value = null;
    error.value = null;
    projectPath.value = projectStore.project?.path ?? null;
  }

  async function refreshList(): Promise<void> {
    listen();
    if (projectPath.value !== (projectStore.project?.path ?? null)) reset();
    const listed = await listing.run();
    if (listed) sessions.value = listed;
    report(listing, 'Listing the exploration sessions');
  }

  function adopt(next: ExplorationView, sessionTime: SessionTime | null): void {
    reset();
    view.value = next;
    const project = projectPath.value ?? '';
    if (sessionTime) localStorage.setItem(storageKey('time', project, next.name), JSON.stringify(sessionTime));
    // The engine's own grid wins: it is right for sessions made elsewhere (another browser, the CLI).
    const grid = next.time;
    time.value =
      grid && grid.length >= 2
        ? { end: grid[grid.length - 1], points: grid.length }
        : (sessionTime ?? readJson<SessionTime>(storageKey('time', project, next.name)));
    colours.value = readJson<Record<string, string>>(storageKey('colours', project, next.name)) ?? {};
    if (!sessions.value.includes(next.name)) sessions.value = [...sessions.value, next.name];
  }

  async function create(modelId: number, session: Record<string, unknown>, sessionTime: SessionTime | null): Promise<boolean> {
    const created = await act('create', 'Creating the session', () => callEngine('explore.create', { modelId, session }));
    if (created) adopt(created, sessionTime);
    return Boolean(created);
  }

  async function open(sessionName: string): Promise<boolean> {
    const opened = await act('open', `Opening "${sessionName}"`, () => callEngine('explore.open', { name: sessionName }));
    if (!opened) return false;
    adopt(opened, null);
    // A session with points is embedded at once, so the scatter is there when it opens.
    if (opened.parameters.length > 0) await embed();
    return true;
  }

  function close(): void {
    reset();
  }

  /** Simulate a batch, then embed all points (with the method of the last embedding; the engine keeps the old points' layout). */
  async function runBatch(source?: BatchSource, n?: number): Promise<boolean> {
    const current = name.value;
    if (!current) return false;
    const next = await act('batch', 'Running the batch', () => callEngine('explore.runBatch', { name: current, n, source }));
    if (!next) return false;
    view.value = next;
    // The engine drops its propagation when points are added: colour by labels until propagated again.
    propagation.value = null;
    if (colourBy.value === 'propagated' || colourBy.value === 'entropy') colourBy.value = 'label';
    if (next.parameters.length > 0) await embed(embedding.value?.method);
    return true;
  }

  async function embed(method?: 'pca' | 'umap' | 'tsne'): Promise<boolean> {
    const current = name.value;
    if (!current) return false;
    const result = await act('embed', 'Embedding the points', () => callEngine('explore.embed', { name: current, method }));
    if (result) embedding.value = result;
    return Boolean(result);
  }

  async function label(points: readonly number[], className: string | null): Promise<boolean> {
    const current = name.value;
    if (!current || points.length === 0) return false;
    const labels: Record<string, string | null> = {};
    for (const i of points) labels[String(i)] = className;
    const next = await act('label', 'Labelling the points', () => callEngine('explore.label', { name: current, labels }));
    if (next) view.value = next;
    return Boolean(next);
  }

  async function addClass(className: string): Promise<boolean> {
    const current = name.value;
    const trimmed = className.trim();
    if (!current || !trimmed) return false;
    const next = await act('label', 'Adding the class', () => callEngine('explore.label', { name: current, labels: {}, classes: [trimmed] }));
    if (next) view.value = next;
    return Boolean(next);
  }

  async function propagate(): Promise<boolean> {
    const current = name.value;
    if (!current) return false;
    const result = await act('propagate', 'Propagating the labels', () => callEngine('explore.propagate', { name: current }));
    if (result) {
      propagation.value = result;
      colourBy.value = 'propagated';
    }
    return Boolean(result);
  }

  async function propose(n: number, strategy: 'entropy' | 'margin' | 'class', className?: string): Promise<boolean> {
    const current = name.value;
    if (!current) return false;
    const result = await act('propose', 'Proposing the next batch', () =>
      callEngine('explore.propose', { name: current, n, strategy, ...(strategy === 'class' && className ? { class: className } : {}) }),
    );
    if (result) proposal.value = result;
    return Boolean(result);
  }

  async function runProposal(): Promise<boolean> {
    const p = proposal.value;
    if (!p) return false;
    const ok = await runBatch({ kind: 'parameters', parameters: p.parameters, strategy: p.strategy });
    if (ok) proposal.value = null;
    return ok;
  }

  async function sampleAround(n: number, spread?: number): Promise<boolean> {
    if (selected.value.length === 0) return false;
    return runBatch({ kind: 'around', points: [...selected.value], ...(spread !== undefined ? { spread } : {}) }, n);
  }

  /** Replace (or extend) the selection; indices outside the session are dropped. */
  function select(points: readonly number[], mode: 'replace' | 'add' | 'toggle' = 'replace'): void {
    const n = pointCount.value;
    const valid = points.filter((i) => Number.isInteger(i) && i >= 0 && i < n);
    let next: Set<number>;
    if (mode === 'replace') next = new Set(valid);
    else if (mode === 'add') next = new Set([...selected.value, ...valid]);
    else {
      next = new Set(selected.value);
      for (const i of valid) {
        if (next.has(i)) next.delete(i);
        else next.add(i);
      }
    }
    selected.value = [...next].sort((a, b) => a - b);
  }

  return {
    sessions,
    view,
    embedding,
    propagation,
    proposal,
    selected,
    colourBy,
    colours,
    time,
    progress,
    busy,
    error,
    name,
    pointCount,
    embeddingStale,
    propagationStale,
    classColour,
    setClassColour,
    refreshList,
    cancel,
    create,
    open,
    close,
    runBatch,
    embed,
    label,
    addClass,
    propagate,
    propose,
    runProposal,
    sampleAround,
    select,
  };
});
