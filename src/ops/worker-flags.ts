import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './project-root.js';

/**
 * The node flags a worker is deployed with, read from its `start:NAME` script in package.json (their one home):
 * `scripts/processes.sh` and the benches start the processes with them, and test/unit/deploy-compose.test.ts holds
 * docker-compose.yml's commands to the same scripts. A worker without a start script has no flags.
 */
export function workerNodeFlags(name: string, root = projectRoot()): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return (pkg.scripts[`start:${name}`] ?? '').split(/\s+/).filter((word) => word.startsWith('--'));
}
