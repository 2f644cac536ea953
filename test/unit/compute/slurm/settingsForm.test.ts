import { describe, expect, it } from 'vitest';
import { parseSlurmSettings } from '../../../../engine/compute/slurm/index.js';
import { emptySlurm, formFromSlurm, slurmFromForm } from '../../../../renderer/src/components/settings/slurm.js';

/** The Settings view's SLURM form and the engine's cluster settings: what the form saves, the engine accepts, and back. */
describe('SLURM settings form', () => {
  it('saves only what was filled in, so the engine defaults apply, and reads it back unchanged', () => {
    const form = {
      ...emptySlurm(),
      host: ' login.hpc ',
      user: 'ana',
      partition: 'short',
      time: '2:00:00',
      tasks: 8,
      cpusPerTask: 4,
      setup: 'module load nodejs',
    };
    const cluster = slurmFromForm(form);
    expect(cluster).toEqual({
      host: 'login.hpc',
      port: 22,
      user: 'ana',
      privateKey: '~/.ssh/id_ed25519',
      partition: 'short',
      time: '2:00:00',
      tasks: 8,
      cpusPerTask: 4,
      setup: 'module load nodejs',
    });
    const parsed = parseSlurmSettings(cluster);
    expect(parsed).toMatchObject({ remoteDir: '~/.cache/sciope', nodePath: 'node', tasks: 8, cpusPerTask: 4 });
    expect(formFromSlurm(cluster)).toEqual({ ...form, host: 'login.hpc' });
    // The engine's default cache folder shows as the placeholder, not as a typed value.
    expect(formFromSlurm(parsed as unknown as Record<string, unknown>).remoteDir).toBe('');
  });

  it('authenticates with the ssh-agent when chosen, and starts empty without a saved cluster', () => {
    expect(slurmFromForm({ ...emptySlurm(), host: 'h', user: 'u', auth: 'agent' })).toMatchObject({ agent: true });
    expect(slurmFromForm({ ...emptySlurm(), host: 'h', user: 'u', auth: 'agent' })).not.toHaveProperty('privateKey');
    expect(formFromSlurm(null)).toEqual(emptySlurm());
    expect(formFromSlurm({ host: 'h', user: 'u', agent: true, time: 30 }).time).toBe('30');
  });
});
