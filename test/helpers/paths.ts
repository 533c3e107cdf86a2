import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixture = (...parts: string[]) => join(projectDir, 'test', 'fixtures', ...parts);
export const servicesScript = join(projectDir, 'scripts', 'services.sh');
