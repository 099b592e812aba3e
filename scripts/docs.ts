// Rewrites docs/configuration.md from the registries (see src/config-doc.ts).
import { writeFileSync } from 'node:fs';
import { configurationMarkdown } from '../src/config-doc.js';

writeFileSync('docs/configuration.md', configurationMarkdown());
console.log('wrote docs/configuration.md');
