// Checks Mermaid files with Mermaid's own parser (mermaid.parse), the one
// the renderers use: `node check-mermaid.mjs FILE...` prints
// "FILE: message" for each file that does not parse and exits 1 if any.
//
// Mermaid sanitises labels with DOMPurify, which needs a browser DOM;
// without one its hooks are missing. Syntax does not depend on
// sanitising, so the hooks are no-ops here.
import { readFileSync } from 'node:fs';
import DOMPurify from 'dompurify';

DOMPurify.sanitize ??= (text) => text;
DOMPurify.addHook ??= () => {};
DOMPurify.removeHook ??= () => {};
DOMPurify.removeHooks ??= () => {};
const { default: mermaid } = await import('mermaid');

let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    await mermaid.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    failed++;
    console.log(`${file}: ${String(err.message ?? err).replace(/\n/g, ' | ')}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
