'use strict';

// Usage: node strip-plugin.js <serverless.yml>
// Removes the serverless-step-functions entry from the service's top-level
// `plugins:` list, in place, so the framework packages the service alone
// (that template is fixtures/<case>/base.json). Text-level on purpose: the
// file may use CloudFormation short tags a generic YAML round-trip would
// mangle. Supported spellings:
//   plugins: [serverless-step-functions]            (flow, any other items kept)
//   plugins:
//     - serverless-step-functions                   (block, any other items kept)
// Anything else is an error, so a fixture never silently keeps the plugin.

const fs = require('fs');

const PLUGIN = 'serverless-step-functions';
const file = process.argv[2];
const lines = fs.readFileSync(file, 'utf8').split('\n');
const out = [];
let removed = false;

for (let i = 0; i < lines.length; i++) {
  const line = lines[i];
  const flow = /^plugins:\s*\[([^\]]*)\]\s*(#.*)?$/.exec(line);
  if (flow) {
    const items = flow[1].split(',').map((s) => s.trim()).filter(Boolean);
    const kept = items.filter((s) => s.replace(/^['"]|['"]$/g, '') !== PLUGIN);
    if (kept.length !== items.length) removed = true;
    if (kept.length) out.push(`plugins: [${kept.join(', ')}]`);
    continue;
  }
  if (/^plugins:\s*(#.*)?$/.test(line)) {
    const block = [];
    let j = i + 1;
    while (j < lines.length && (/^\s+-\s/.test(lines[j]) || /^\s*(#.*)?$/.test(lines[j]))) {
      block.push(lines[j]);
      j++;
    }
    const kept = block.filter((l) => {
      const m = /^\s+-\s+['"]?([^'"#\s]+)['"]?\s*(#.*)?$/.exec(l);
      if (m && m[1] === PLUGIN) {
        removed = true;
        return false;
      }
      return true;
    });
    if (kept.some((l) => /^\s+-\s/.test(l))) out.push(line);
    out.push(...kept);
    i = j - 1;
    continue;
  }
  out.push(line);
}

const text = out.join('\n');
if (!removed || text.split('\n').some((l) => !/^\s*#/.test(l) && l.includes(PLUGIN))) {
  console.error(`${file}: cannot remove ${PLUGIN} from a top-level plugins: list`);
  process.exit(1);
}
fs.writeFileSync(file, text);
