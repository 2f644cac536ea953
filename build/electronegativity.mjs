#!/usr/bin/env node
/**
 * `npm run audit:electron`: Doyensec's electronegativity over what ships
 * (out/, so run `npm run build` first: bundled main with the engine, the
 * preload, the renderer), with the Electron version we target. Writes
 * out/electronegativity.csv, prints every finding, marks those reviewed in
 * build/electronegativity-accepted.json (justified in the README, "Electron
 * security audit"), and exits 1 when a HIGH or CRITICAL finding is not in
 * that list, so CI fails on new serious findings only. Locations inside
 * bundles move with every edit, so a finding is matched by check and file.
 *
 * Two workarounds for electronegativity 1.10, applied in the child process
 * that runs it: it requires `commander` without declaring it and breaks on
 * the project's commander 14, so `require('commander')` is pointed at the
 * commander 5 its own dependency (@electron/asar) brings; and it writes the
 * CSV header and the rows with two concurrent fs.writeFile calls, which
 * sometimes garble the file, so fs.writeFile is made synchronous there.
 */
import { spawnSync } from 'node:child_process';
import fs, { existsSync, readFileSync, rmSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const require = createRequire(join(root, 'package.json'));
const toolDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));

if (process.argv[2] === '--tool') {
  // Child process: run the tool's CLI with the commander it was written for.
  const commander5 = createRequire(require.resolve('@electron/asar/package.json')).resolve('commander');
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    if (request === 'commander' && parent?.filename?.startsWith(toolDir)) return commander5;
    return resolve.call(this, request, parent, ...rest);
  };
  fs.writeFile = (file, data, options, callback) => {
    if (typeof options === 'function') [callback, options] = [options, undefined];
    try {
      fs.writeFileSync(file, data, options);
      callback?.(null);
    } catch (error) {
      callback?.(error);
    }
  };
  process.argv.splice(2, 1);
  require(join(toolDir, 'dist', 'index.js'));
} else {
  audit();
}

function electronVersion() {
  try {
    return require('electron/package.json').version;
  } catch {
    const range = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).optionalDependencies?.electron ?? '';
    return range.replace(/^[^\d]*/, '');
  }
}

/** RFC 4180 rows (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field.trim());
      field = '';
    } else if (c === '\n') {
      row.push(field.trim());
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field || row.length) {
    row.push(field.trim());
    rows.push(row);
  }
  return rows;
}

function audit() {
  const input = join(root, 'out');
  if (!existsSync(join(input, 'main', 'index.js'))) {
    console.error('audit:electron: out/main/index.js is missing; run `npm run build` first.');
    process.exit(2);
  }
  const report = join(input, 'electronegativity.csv');
  rmSync(report, { force: true });
  const version = electronVersion();
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--tool', '-i', input, '-o', report, '-r', '-e', version], {
    cwd: root,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (run.status !== 0 || !existsSync(report)) {
    console.error(run.stdout, run.stderr);
    console.error(`audit:electron: electronegativity failed (status ${run.status}${run.error ? `, ${run.error.message}` : ''})`);
    process.exit(2);
  }

  const [header, ...rows] = parseCsv(readFileSync(report, 'utf8')).filter((r) => r.length > 1);
  const col = (name) => header.indexOf(name);
  if (col('issue') !== 0 || rows.some((r) => r.length !== header.length)) {
    console.error(`audit:electron: cannot read ${report} (unexpected CSV layout)`);
    process.exit(2);
  }
  const findings = rows.map((r) => ({
    check: r[col('issue')],
    severity: r[col('severity')].toUpperCase(),
    confidence: r[col('confidence')].toUpperCase(),
    file: r[col('filename')],
    location: r[col('location')],
    description: r[col('description')],
  }));
  const accepted = JSON.parse(readFileSync(join(root, 'build', 'electronegativity-accepted.json'), 'utf8')).accepted;
  const reviewOf = (f) => accepted.find((a) => a.check === f.check && a.file === f.file);

  console.log(`electronegativity (Electron ${version}) over out/: ${findings.length} finding(s); report: out/electronegativity.csv`);
  const serious = [];
  for (const f of findings) {
    const review = reviewOf(f);
    const mark = review ? 'accepted' : 'NEW';
    console.log(`  [${mark}] ${f.severity}/${f.confidence} ${f.check} ${f.file}:${f.location}: ${f.description}`);
    if (review) console.log(`           ${review.reason}`);
    else if (f.severity === 'HIGH' || f.severity === 'CRITICAL') serious.push(f);
  }
  if (serious.length) {
    console.error(
      `audit:electron: ${serious.length} new HIGH/CRITICAL finding(s): fix them, or review them into build/electronegativity-accepted.json and the README.`,
    );
    process.exit(1);
  }
  const unreviewed = findings.filter((f) => !reviewOf(f)).length;
  console.log(unreviewed ? `audit:electron: ${unreviewed} new lower-severity finding(s) to review (not failing).` : 'audit:electron: no unreviewed findings.');
}
