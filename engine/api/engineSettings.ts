import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Machine-level settings of the app (not of a project): local workers, the
 * SSH node pool, the SLURM cluster, recent projects. Kept as JSON in the app's config folder
 * (Electron's userData, or ~/.config/sciope for `sciope serve`), written
 * atomically so a crash never leaves half a file.
 */
const settingsSchema = z.object({
  workers: z.number().int().min(1).nullable().default(null),
  executor: z.enum(['local', 'ssh', 'slurm']).default('local'),
  nodes: z.array(z.record(z.string(), z.unknown())).default([]),
  /** The SLURM cluster (engine/compute/slurm/slurmSettings.ts), validated when saved and when used. */
  slurm: z.record(z.string(), z.unknown()).nullable().default(null),
  recent: z.array(z.string()).default([]),
});

export type StoredSettings = z.output<typeof settingsSchema>;

const MAX_RECENT = 10;

export class EngineSettingsFile {
  private readonly file: string;
  private current: StoredSettings;

  constructor(configDir: string) {
    this.file = join(configDir, 'settings.json');
    mkdirSync(configDir, { recursive: true });
    this.current = this.read();
  }

  private read(): StoredSettings {
    try {
      const parsed = settingsSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      // A damaged settings file must not stop the app: start from defaults (the file is rewritten on the next change).
      return parsed.success ? parsed.data : settingsSchema.parse({});
    } catch {
      return settingsSchema.parse({});
    }
  }

  get value(): StoredSettings {
    return this.current;
  }

  update(change: Partial<StoredSettings>): StoredSettings {
    this.current = { ...this.current, ...change };
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.current, null, 2));
    renameSync(temporary, this.file);
    return this.current;
  }

  addRecent(path: string): void {
    this.update({ recent: [path, ...this.current.recent.filter((p) => p !== path)].slice(0, MAX_RECENT) });
  }
}
