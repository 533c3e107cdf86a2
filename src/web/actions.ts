import type { Router } from 'express';
import { actionRunner } from './action-runner.js';
import { registerAddressActions } from './address-actions.js';
import { registerAssessmentActions } from './assessment-actions.js';
import { registerCorrectionActions } from './correction-actions.js';
import { registerDecisionActions } from './decision-actions.js';
import type { ConsoleDeps } from './deps.js';
import { registerFileActions } from './file-actions.js';
import { registerInitiativeActions } from './initiative-actions.js';
import type { PageRenderer } from './page-renderer.js';
import { registerReviewActions } from './review-actions.js';

/** Every change the console makes, each through one operation of src/registry. */
export function registerActions(router: Router, deps: ConsoleDeps, page: PageRenderer): void {
  const runner = actionRunner(deps, page);
  registerReviewActions(router, deps, runner);
  registerInitiativeActions(router, deps, runner);
  registerCorrectionActions(router, deps, runner);
  registerAddressActions(router, deps, runner);
  registerAssessmentActions(router, deps, runner);
  registerDecisionActions(router, deps, runner);
  registerFileActions(router, deps, runner);
}
