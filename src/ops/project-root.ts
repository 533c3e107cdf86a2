import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json: found the same way from src/ (tests) and from dist/ (the built CLI). */
export function projectRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** The 2021 Hanoi campaign and agency registry shipped as the default demo data. */
export const defaultDataFiles = () => ({
  campaign: join(projectRoot(), 'data', 'campaign-hanoi-2021.yaml'),
  registry: join(projectRoot(), 'data', 'agencies-hanoi-2021.csv'),
});
