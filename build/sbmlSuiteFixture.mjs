#!/usr/bin/env node
// Rebuilds test/fixtures/sbml-test-suite/cases.tar.gz, the SBML Test Suite's
// TimeCourse cases that CI runs (test/unit/sbmlSuite/suite.test.ts), from a
// copy of the suite's cases/semantic folder (default ../shared/sbml-test-suite,
// see its README). Per case it keeps the SBML (the highest level only), the
// settings, the expected results, any other file in the folder (comp
// external model definitions) and the header lines of model.m (testType,
// componentTags, testTags...), not its description. Flux-balance and other
// non-TimeCourse cases are left out. The archive is reproducible: sorted
// names, fixed times and owners, gzip without a timestamp.
//
// Usage: node build/sbmlSuiteFixture.mjs [suite-folder]
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const suite = resolve(process.argv[2] ?? join(root, '..', 'shared', 'sbml-test-suite'));
const semantic = existsSync(join(suite, 'semantic')) ? join(suite, 'semantic') : suite;
const fixture = join(root, 'test', 'fixtures', 'sbml-test-suite');
const archive = join(fixture, 'cases.tar.gz');
const HEADER_KEYS = /^(category|synopsis|componentTags|testTags|testType|levels|generatedBy|packagesPresent):/;

if (!existsSync(semantic)) {
  console.error(`sbmlSuiteFixture: ${semantic}: no such folder (pass the suite's folder as the argument)`);
  process.exit(2);
}

const staging = mkdtempSync(join(tmpdir(), 'sbml-suite-fixture-'));
const out = join(staging, 'semantic');
mkdirSync(out);
let kept = 0;
let skipped = 0;
for (const id of readdirSync(semantic)
  .filter((name) => /^\d{5}$/.test(name))
  .sort()) {
  const dir = join(semantic, id);
  const header = readFileSync(join(dir, `${id}-model.m`), 'utf8').split(/\r?\n/);
  const testType = header.map((line) => /^testType:\s*(\S+)/.exec(line.trim())?.[1]).find(Boolean);
  if (testType !== 'TimeCourse') {
    skipped++;
    continue;
  }
  mkdirSync(join(out, id));
  // The first header block only (a few files repeat it), and no description.
  const end = header.findIndex((line, i) => i > 0 && line.trim() === '' && header.slice(0, i).some((l) => l.includes('testType:')));
  const headerLines = header.slice(0, end < 0 ? header.length : end).filter((line) => line.trim() === '(*' || HEADER_KEYS.test(line.trim()));
  writeFileSync(join(out, id, `${id}-model.m`), `${headerLines.join('\n')}\n*)\n`);
  const models = readdirSync(dir).filter((name) => new RegExp(`^${id}-sbml-l\\d+v\\d+\\.xml$`).test(name));
  const rank = (name) => {
    const [, level, version] = /-l(\d+)v(\d+)\.xml$/.exec(name);
    return Number(level) * 100 + Number(version);
  };
  const best = models.sort((a, b) => rank(b) - rank(a))[0];
  for (const name of readdirSync(dir)) {
    const standard = name === `${id}-model.m` || /-sbml-l\d+v\d+(-sedml)?\.(xml|sedml)$/.test(name) || /\.(png|jpg|svg|pdf|html)$/.test(name);
    const wanted = name === best || name === `${id}-settings.txt` || name === `${id}-results.csv` || (!standard && statSync(join(dir, name)).isFile());
    if (wanted) copyFileSync(join(dir, name), join(out, id, name));
  }
  kept++;
}
for (const name of ['LICENSE.txt', 'README.md']) if (existsSync(join(suite, name))) copyFileSync(join(suite, name), join(staging, name));

mkdirSync(fixture, { recursive: true });
const tar = join(staging, 'cases.tar');
execFileSync('tar', [
  '--sort=name',
  '--mtime=2022-04-01 00:00Z',
  '--owner=0',
  '--group=0',
  '--numeric-owner',
  '--mode=u+rw,go+r,go-w',
  '-cf',
  tar,
  '-C',
  staging,
  ...readdirSync(staging)
    .filter((n) => n !== 'cases.tar')
    .sort(),
]);
writeFileSync(archive, execFileSync('gzip', ['-9', '-n', '-c', tar], { maxBuffer: 1 << 30 }));
// Written, not copied: the source may be read-only and a copy would keep its mode.
if (existsSync(join(suite, 'LICENSE.txt'))) writeFileSync(join(fixture, 'LICENSE.txt'), readFileSync(join(suite, 'LICENSE.txt')));
rmSync(staging, { recursive: true, force: true });
console.log(`sbmlSuiteFixture: ${kept} TimeCourse cases (${skipped} others left out) → ${archive} (${(statSync(archive).size / 1e6).toFixed(2)} MB)`);
