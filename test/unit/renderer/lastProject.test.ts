import { describe, expect, it } from 'vitest';
import { LAST_PROJECT_KEY, projectName, readLastProject, reopenDecision, writeLastProject } from '../../../renderer/src/stores/lastProject';

describe('the project this browser was working in', () => {
  it('is opened again on an engine with none open, offered when the engine has another, left alone otherwise', () => {
    expect(reopenDecision('/p/a.sciope', null)).toEqual({ kind: 'open', path: '/p/a.sciope' });
    expect(reopenDecision('/p/a.sciope', '/p/b.sciope')).toEqual({ kind: 'ask', remembered: '/p/a.sciope', current: '/p/b.sciope' });
    expect(reopenDecision('/p/a.sciope', '/p/a.sciope')).toEqual({ kind: 'none' });
    expect(reopenDecision(null, '/p/b.sciope')).toEqual({ kind: 'none' });
    expect(reopenDecision(null, null)).toEqual({ kind: 'none' });
  });

  it('is remembered in storage, forgotten with null, and a refusing storage is not an error', () => {
    const map = new Map<string, string>();
    const storage = {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    };
    writeLastProject('/p/a.sciope', storage);
    expect(map.get(LAST_PROJECT_KEY)).toBe('/p/a.sciope');
    expect(readLastProject(storage)).toBe('/p/a.sciope');
    writeLastProject(null, storage);
    expect(readLastProject(storage)).toBeNull();
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => undefined,
    };
    expect(readLastProject(refusing)).toBeNull();
    expect(() => writeLastProject('/p/a.sciope', refusing)).not.toThrow();
    expect(projectName('/home/me/toggle.sciope')).toBe('toggle.sciope');
  });
});
