import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The node flags a worker is deployed with, read from its `start:NAME` script in package.json (the one home of
 * them; docker-compose.yml is held to the same scripts by test/unit/deploy-compose.test.ts): the benches run the
 * processes as they run in production.
 */
export function workerNodeFlags(root: string, name: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const script = pkg.scripts[`start:${name}`];
  if (!script) throw new Error(`package.json has no start:${name} script`);
  return script.split(/\s+/).filter((word) => word.startsWith('--'));
}
