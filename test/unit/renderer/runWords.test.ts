import { describe, expect, it } from 'vitest';
import { formatGeneration, generationIndex, generationNumber } from '../../../renderer/src/components/inference/format';
import { isCancellation, progressWords, runErrorWords, shownElapsed, statusWords, stopReasonWords } from '../../../renderer/src/components/inference/runWords';

describe('generations as people count them', () => {
  it("shows the engine's 0-based index from 1, with the run's count as the total", () => {
    expect(generationNumber(0)).toBe(1);
    expect(generationIndex(1)).toBe(0);
    // A run of 8 generations: the last (index 7) is "8 of 8", never "7 of 7".
    expect(formatGeneration(7, 8)).toBe('8 of 8');
    expect(formatGeneration(0, 3)).toBe('1 of 3');
    expect(formatGeneration(2)).toBe('3');
  });

  it('leaves out a total that is unknown or smaller than the generation', () => {
    expect(formatGeneration(4, null)).toBe('5');
    expect(formatGeneration(4, 3)).toBe('5');
    expect(formatGeneration(null, 3)).toBe('–');
    expect(formatGeneration(-1, 3)).toBe('–');
  });
});

describe('run states in plain words', () => {
  it('names every status', () => {
    expect(statusWords('cancelled')).toBe('Cancelled');
    expect(statusWords('interrupted')).toBe('Interrupted');
    expect(statusWords('disconnected')).toBe('No connection');
    expect(statusWords('something new')).toBe('something new');
  });

  it("says why a run stopped, never the engine's code", () => {
    expect(stopReasonWords('maxGenerations')).toBe('stopped at the maximum number of generations');
    expect(stopReasonWords('epsilonTarget')).toBe('stopped on reaching the target tolerance');
    for (const code of ['populationComplete', 'budgetExhausted', 'maxTrials', 'minAcceptanceRate', 'maxSimulations', 'epsilonSchedule']) {
      expect(stopReasonWords(code)).not.toContain(code);
    }
    expect(stopReasonWords(null)).toBeNull();
  });

  it('shows no error for a cancelled run, and the message for a failed one', () => {
    expect(isCancellation({ message: 'This operation was aborted' })).toBe(true);
    expect(isCancellation({ code: 'CANCELLED', message: 'x' })).toBe(true);
    expect(isCancellation({ name: 'AbortError', message: 'x' })).toBe(true);
    expect(isCancellation({ message: 'rate of R1 is not finite' })).toBe(false);
    expect(runErrorWords('cancelled', 'This operation was aborted')).toBeNull();
    expect(runErrorWords('failed', 'This operation was aborted')).toBeNull();
    expect(runErrorWords('failed', 'rate of R1 is not finite')).toBe('rate of R1 is not finite');
    expect(runErrorWords('completed', null)).toBeNull();
  });

  it('says "starting…" only for a running run that has not reported yet', () => {
    expect(progressWords('running', null, null)).toBe('starting…');
    expect(progressWords('failed', null, null)).toBe('Failed');
    expect(progressWords('cancelled', null, null)).toBe('Cancelled');
    expect(progressWords('running', 12, 20)).toBe('12 / 20 accepted');
    expect(progressWords('running', null, null, false)).toBe('no connection to the engine');
  });

  it('names a budget\'s last generation, which accepts beyond the population size, instead of "240 / 200"', () => {
    expect(progressWords('running', 240, 200)).toBe('final generation, using all remaining simulations: 240 accepted');
    expect(progressWords('completed', 1_234, 1_000)).toBe('final generation, using all remaining simulations: 1,234 accepted');
    // Exactly full is an ordinary generation.
    expect(progressWords('running', 200, 200)).toBe('200 / 200 accepted');
  });

  it('ticks elapsed time on only while the run is running and the engine is reachable', () => {
    expect(shownElapsed(10, 2, true, true)).toBe(12);
    expect(shownElapsed(10, 3600, true, false)).toBe(10);
    expect(shownElapsed(10, 3600, false, true)).toBe(10);
    expect(shownElapsed(null, 1, true, true)).toBeNull();
  });
});
