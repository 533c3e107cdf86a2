import { join } from 'node:path';
import { projectDir } from './paths.js';

// Debian's chromium as the browser tests start it: headless, and without the background traffic this machine's
// closed network would refuse.
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Where screenshots are kept (git-ignored). */
export const ARTIFACTS = join(projectDir, 'test', 'artifacts');
