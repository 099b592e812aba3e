import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { configurationMarkdown } from '../src/config-doc.js';

it('docs/configuration.md matches the settings registries (run `npm run docs`)', () => {
  expect(readFileSync('docs/configuration.md', 'utf8')).toBe(configurationMarkdown());
});
