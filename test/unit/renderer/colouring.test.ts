import { describe, expect, it } from 'vitest';
import { classColouring, RAMP, rampColouring, UNLABELLED } from '../../../renderer/src/components/exploration/colouring';

describe('exploration point colouring', () => {
  it('puts unlabelled points (class -1 or out of range) in the grey first group, classes after it', () => {
    const c = classColouring([0, -1, 1, 5], ['on', 'off'], (name) => (name === 'on' ? '#00ff00' : '#ff0000'));
    expect(Array.from(c.groupOf)).toEqual([1, 0, 2, 0]);
    expect(c.groups.map((g) => g.name)).toEqual(['unlabelled', 'on', 'off']);
    expect(c.groups[0].colour).toBe(UNLABELLED);
    expect(c.groups[1].colour).toBe('#00ff00');
    expect(c.ramp).toBeNull();
  });

  it('buckets a continuous value into the ramp from min to max, with missing values in their own group', () => {
    const values = [0, 1, 0.5, null, Number.NaN, 0.999];
    const c = rampColouring(values, 'entropy');
    const B = RAMP.length;
    expect(c.groups).toHaveLength(B + 1);
    expect(Array.from(c.groupOf)).toEqual([0, B - 1, Math.floor(0.5 * B), B, B, B - 1]);
    expect(c.ramp).toEqual({ label: 'entropy', min: 0, max: 1, log: false });
  });

  it('uses a log scale only when every finite value is positive', () => {
    const positive = rampColouring([1, 10, 100], 'rate', true);
    expect(positive.ramp?.log).toBe(true);
    // On a log scale 10 sits in the middle of [1, 100].
    expect(positive.groupOf[1]).toBe(Math.floor(RAMP.length / 2));
    expect(rampColouring([0, 10, 100], 'rate', true).ramp?.log).toBe(false);
  });

  it('widens the scale to a fixed range, so a value says how large it is and not only which is largest', () => {
    const c = rampColouring([0.2, 0.4], 'entropy', false, [0, Math.log(2)]);
    expect(c.ramp?.min).toBe(0);
    expect(c.ramp?.max).toBeCloseTo(Math.log(2), 12);
    expect(c.groupOf[0]).toBe(Math.floor((0.2 / Math.log(2)) * RAMP.length));
  });

  it('draws every point in the middle bucket when all values are equal, and has no ramp without finite values', () => {
    expect(Array.from(rampColouring([3, 3], 'x').groupOf)).toEqual([RAMP.length / 2, RAMP.length / 2]);
    expect(rampColouring([null, Number.NaN], 'x').ramp).toBeNull();
  });
});
