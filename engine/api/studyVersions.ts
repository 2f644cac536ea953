import type { ProjectStore } from '../store/ProjectStore.js';

/**
 * Studies saved from the app, one per configuration: saving a configuration
 * identical to a stored study of that name reuses it (so every Run of an
 * unchanged draft lands in one study); a changed one under a taken name is
 * stored as the next version, "name (2)", "name (3)"...
 */

export interface StudyToSave {
  readonly name: string;
  readonly config: Record<string, unknown>;
  readonly modelId: number;
  readonly observedId: number;
}

/** `name (k)` → { base: name, version: k }; any other name is version 1 of itself. */
export function studyVersionOf(name: string): { base: string; version: number } {
  const match = /^(.*\S) \((\d+)\)$/.exec(name);
  return match ? { base: match[1], version: Number(match[2]) } : { base: name, version: 1 };
}

/** JSON with object keys sorted, so two configurations compare by content, not by key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const contentOf = (config: Record<string, unknown>): string => canonical({ ...config, name: undefined });

/** Store the study or find its identical twin; returns the id, the name it goes by and its stored configuration. */
export function saveStudyVersion(store: ProjectStore, study: StudyToSave): { id: number; name: string; config: Record<string, unknown> } {
  const { base } = studyVersionOf(study.name);
  const family = store.listStudies().filter((s) => studyVersionOf(s.name).base === base);
  const content = contentOf(study.config);
  const same = family.filter((s) => s.modelId === study.modelId && s.observedId === study.observedId && contentOf(s.config) === content);
  const twin = same.find((s) => s.name === study.name) ?? same[0];
  if (twin) return { id: twin.id, name: twin.name, config: twin.config };
  const name = family.some((s) => s.name === study.name) ? `${base} (${Math.max(...family.map((s) => studyVersionOf(s.name).version)) + 1})` : study.name;
  const config = { ...study.config, name };
  const id = store.addStudy({ name, source: `app:${name}`, config, modelId: study.modelId, observedId: study.observedId });
  return { id, name, config };
}
