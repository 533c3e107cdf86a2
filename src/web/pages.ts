import type { Router } from 'express';
import type { PageRenderer } from './console.js';
import type { ConsoleDeps } from './deps.js';

/** The console's pages behind the sign-in. */
export function registerPages(_router: Router, _deps: ConsoleDeps, _page: PageRenderer): void {}
