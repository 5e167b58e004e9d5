// The framework's file selection (serverless 3.40.0,
// lib/plugins/package/lib/package-service.js, resolveFilePathsFromPatterns)
// with the oracle's own globby and micromatch, for differential tests.
//
// Usage: node select-files.js DIR '{"exclude": [...], "include": [...]}'
// Prints the selected files as a JSON list in zip order (localeCompare).
'use strict';

const path = require('path');

const modules = path.join(__dirname, 'node_modules');
const globby = require(path.join(modules, 'globby'));
const micromatch = require(path.join(modules, 'micromatch'));

const [dir, json] = process.argv.slice(2);
const params = JSON.parse(json);
const exclude = params.exclude || [];
const include = params.include || [];

const patterns = [];
for (const p of exclude) patterns.push(p.charAt(0) !== '!' ? `!${p}` : p.substring(1));
for (const p of include) patterns.push(p);

const all = globby.sync(['**'].concat(include), {
  cwd: dir,
  dot: true,
  silent: true,
  follow: true,
  nodir: true,
  expandDirectories: false,
});
const state = {};
for (const f of all) state[f] = true;
for (const p of patterns) {
  const negated = p.startsWith('!');
  for (const f of micromatch(all, [negated ? p.slice(1) : p], { dot: true })) state[f] = !negated;
}
const selected = Object.entries(state)
  .filter((e) => e[1])
  .map((e) => e[0]);
selected.sort((a, b) => a.localeCompare(b));
console.log(JSON.stringify(selected));
