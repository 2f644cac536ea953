/**
 * The project file's schema: numbered migrations, applied in order, each in
 * one transaction that also records it in `schema_migrations` and sets
 * `PRAGMA user_version`. Never edit a released migration; add the next one.
 *
 * Numeric arrays are BLOBs of little-endian Float64 values (see blob.ts).
 */

/** `PRAGMA application_id` of every Sciope project: "SCIO" in ASCII. */
export const SCIOPE_APPLICATION_ID = 0x5343494f;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('json', 'sbml', 'example', 'simulator')),
        source TEXT NOT NULL,           -- original text (JSON, SBML XML), the example's name, or a black-box simulator's spec (JSON)
        parsed TEXT NOT NULL,           -- the validated model as JSON
        created_at TEXT NOT NULL
      );
      CREATE TABLE observed_datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('csv')),
        source TEXT NOT NULL,           -- original text
        species TEXT,                   -- JSON list of the species columns read, or NULL for all
        created_at TEXT NOT NULL
      );
      CREATE TABLE parameter_sets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('prior', 'point')),
        spec TEXT NOT NULL,             -- JSON: {name: prior} or {name: value}
        created_at TEXT NOT NULL
      );
      CREATE TABLE studies (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        source TEXT NOT NULL,           -- where the study came from (its file path), used in messages
        config TEXT NOT NULL,           -- the study JSON exactly as given
        model_id INTEGER REFERENCES models(id) ON DELETE RESTRICT,
        observed_id INTEGER REFERENCES observed_datasets(id) ON DELETE RESTRICT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        algorithm TEXT NOT NULL,
        seed INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'interrupted', 'failed', 'cancelled')),
        options TEXT NOT NULL,          -- JSON: overrides of the study (populationSize, maxGenerations)
        parameter_names TEXT NOT NULL,  -- JSON list
        started_at TEXT NOT NULL,
        finished_at TEXT,
        engine_version TEXT NOT NULL,
        host TEXT,
        pid INTEGER,                    -- the process writing the run while status = 'running'
        stop_reason TEXT,
        simulations INTEGER,
        result_config TEXT,             -- JSON: the posterior's configuration, once completed
        error TEXT
      );
      CREATE INDEX runs_study ON runs(study_id);
      CREATE TABLE generations (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        epsilon REAL,                   -- REAL columns: NULL stands for NaN
        acceptance_rate REAL,
        simulations INTEGER NOT NULL,
        ess REAL,
        count INTEGER NOT NULL,
        dimension INTEGER NOT NULL,
        feature_count INTEGER NOT NULL,
        state TEXT NOT NULL,            -- JSON: what resuming needs beyond the particles (the learnt distance)
        created_at TEXT NOT NULL,
        PRIMARY KEY (run_id, idx)
      ) WITHOUT ROWID;
      CREATE TABLE particles (
        run_id INTEGER NOT NULL,
        generation INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        parameters BLOB NOT NULL,       -- Float64Array(dimension)
        weight REAL,
        distance REAL,                  -- NULL stands for NaN
        statistics BLOB NOT NULL,       -- Float64Array(feature_count)
        PRIMARY KEY (run_id, generation, idx),
        FOREIGN KEY (run_id, generation) REFERENCES generations(run_id, idx) ON DELETE CASCADE
      ) WITHOUT ROWID;
      CREATE TABLE exploration_batches (
        id INTEGER PRIMARY KEY,
        study_id INTEGER REFERENCES studies(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        count INTEGER NOT NULL,
        dimension INTEGER NOT NULL,
        feature_count INTEGER NOT NULL,
        points BLOB NOT NULL,           -- Float64Array(count × dimension)
        features BLOB,                  -- Float64Array(count × feature_count)
        trajectories BLOB,              -- on request
        labels BLOB,                    -- user labels, Float64Array(count), NaN = unlabelled
        predicted BLOB,                 -- predicted labels
        meta TEXT NOT NULL,             -- JSON: parameter names, feature names, design
        created_at TEXT NOT NULL
      );
      CREATE TABLE networks (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        topology TEXT NOT NULL,         -- tfjs model.json (modelTopology, weightSpecs) as JSON
        weights BLOB NOT NULL,          -- tfjs weight data
        meta TEXT NOT NULL,             -- JSON: training settings, metrics
        created_at TEXT NOT NULL
      );
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL             -- JSON; never secrets (SSH keys stay in files or the agent)
      );
    `,
  },
  {
    version: 2,
    name: 'run estimators',
    // A run whose result is a trained estimator (NPE) keeps it here, with its training curves apart so a
    // viewer reads the curves without the weights. Older projects gain the empty table when opened.
    sql: `
      CREATE TABLE run_estimators (
        run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,             -- 'neuralPosterior'
        estimator TEXT NOT NULL,        -- JSON: NeuralPosterior.toJSON() after the last completed round
        training TEXT NOT NULL,         -- JSON: per round, simulations and train / validation loss per epoch
        updated_at TEXT NOT NULL
      );
    `,
  },
];

/** The schema version this engine writes: the last migration's. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
