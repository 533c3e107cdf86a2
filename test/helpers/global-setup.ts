import { execFileSync } from 'node:child_process';
import { servicesScript } from './paths.js';

/**
 * The real services of scripts/services.sh that a test tier talks to (`names`: some of pg, redis, dovecot,
 * smtp; none: all). When they are already up (CI, or a developer's `npm run services:up`), they are used as they
 * are; otherwise they are started here and stopped again when the run ends.
 */
export function useServices(...names: ('pg' | 'redis' | 'dovecot' | 'smtp')[]): () => void {
  let startedHere = false;
  try {
    execFileSync('bash', [servicesScript, 'status', ...names], { stdio: 'ignore' });
  } catch {
    execFileSync('bash', [servicesScript, 'up', ...names], { stdio: 'inherit' });
    startedHere = true;
  }
  return () => {
    if (startedHere) execFileSync('bash', [servicesScript, 'down', ...names], { stdio: 'inherit' });
  };
}

// The integration tier: every service.
export default function setup(): () => void {
  return useServices();
}
