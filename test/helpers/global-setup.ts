import { execFileSync } from 'node:child_process';
import { servicesScript } from './paths.js';

// Integration tests talk to the real services of scripts/services.sh. When they are already up (CI, or a
// developer's `npm run services:up`), they are used as they are; otherwise they are started here and
// stopped again when the run ends.
export default function setup(): () => void {
  let startedHere = false;
  try {
    execFileSync('bash', [servicesScript, 'status'], { stdio: 'ignore' });
  } catch {
    execFileSync('bash', [servicesScript, 'up'], { stdio: 'inherit' });
    startedHere = true;
  }
  return () => {
    if (startedHere) execFileSync('bash', [servicesScript, 'down'], { stdio: 'inherit' });
  };
}
