import { availableParallelism } from 'node:os';
import { ENGINE_VERSION } from '../../store/ProjectStore.js';
import { ApiArgumentError, jsonSafe } from '../wire.js';
import type { HandlerContext, HandlerPart } from './context.js';

/** app.info and settings.*: where simulations run (local workers, SSH nodes, a SLURM cluster), checked before use. */
export function settingsHandlers(context: HandlerContext) {
  return {
    'app.info': () => ({
      engineVersion: ENGINE_VERSION,
      cores: availableParallelism(),
      workers: context.workers(),
      executor: context.settings.value.executor,
      project: context.summary(),
    }),

    'settings.get': () => context.engineSettings(),
    'settings.setWorkers': async ({ workers }) => {
      await context.replaceExecutor();
      context.settings.update({ workers });
      return context.engineSettings();
    },
    'settings.setNodes': async ({ nodes, executor }) => {
      const { parseNodeSettings } = await import('../../compute/ssh/index.js');
      nodes.forEach((n, i) => parseNodeSettings(n, `nodes[${i}]`));
      if (executor === 'ssh' && nodes.length === 0)
        throw new ApiArgumentError('settings.setNodes', [{ path: 'nodes', message: 'the SSH executor needs at least one node' }]);
      if (executor === 'slurm' && !context.settings.value.slurm)
        throw new ApiArgumentError('settings.setNodes', [{ path: 'executor', message: 'no SLURM cluster is saved: save one first (settings.setSlurm)' }]);
      await context.replaceExecutor();
      context.settings.update({ nodes, executor });
      return context.engineSettings();
    },
    'settings.checkNodes': async ({ nodes }) => {
      // Loaded on first use: the SSH client is not needed by a local-only engine.
      const { checkNodes } = await import('../../compute/ssh/index.js');
      const { summariseNodeCheck } = await import('../../compute/ssh/nodeCheckSummary.js');
      const reports = await checkNodes(nodes as never[]);
      return reports.map((report) => {
        const { node, ok, message, facts } = summariseNodeCheck(report);
        return { node, ok, message, facts: jsonSafe(facts) as Record<string, unknown> };
      });
    },
    'settings.setSlurm': async ({ slurm, use }) => {
      const { parseSlurmSettings } = await import('../../compute/slurm/index.js');
      if (slurm) parseSlurmSettings(slurm, 'slurm');
      if (use && !slurm) throw new ApiArgumentError('settings.setSlurm', [{ path: 'slurm', message: 'the SLURM executor needs the cluster settings' }]);
      await context.replaceExecutor();
      const current = context.settings.value.executor;
      context.settings.update({ slurm, executor: use ? 'slurm' : current === 'slurm' ? 'local' : current });
      return context.engineSettings();
    },
    'settings.checkSlurm': async ({ slurm }) => {
      const { clusterLabel, parseSlurmSettings, SlurmExecutor } = await import('../../compute/slurm/index.js');
      const { describeClusterCheck } = await import('../../compute/slurm/clusterCheckSummary.js');
      const cluster = parseSlurmSettings(slurm, 'slurm');
      const executor = new SlurmExecutor({ cluster });
      try {
        const facts = await executor.check();
        return { cluster: clusterLabel(cluster), ok: true, message: describeClusterCheck(facts), facts: jsonSafe(facts) as Record<string, unknown> };
      } catch (error) {
        return { cluster: clusterLabel(cluster), ok: false, message: (error as Error).message, facts: null };
      } finally {
        await executor.close();
      }
    },
  } satisfies HandlerPart;
}
