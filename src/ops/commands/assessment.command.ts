import type { Command } from 'commander';
import { ASSESSMENT_VERDICT_LABEL } from '../../domain/assessment.js';
import { ASSESSMENT_VERDICTS, type AssessmentVerdict } from '../../domain/kinds.js';
import { OperationRefused } from '../../errors.js';
import { assessInitiative, undoAssessment } from '../../registry/decisions/assess-initiative.js';
import { actor, BY, type CliDeps, type WithContext } from '../cli-context.js';

/** Staff's assessment of a reported initiative: `reform initiative assess ID VERDICT [--undo]`. */
export function registerAssessCommand(
  initiative: Command,
  { io }: Pick<CliDeps, 'io'>,
  withContext: WithContext,
): void {
  initiative
    .command('assess')
    .description(
      'assess the reported results of an initiative for the PAR-index assessment (audited; --undo takes the assessment in force back)',
    )
    .argument('<id>', 'the initiative id')
    .argument('[verdict]', ASSESSMENT_VERDICTS.join(' | '))
    .option('--undo', 'take back the assessment in force (the one it replaced comes back)')
    .option('--note <text>', 'the reasons (kept with the assessment and in the history)')
    .option(...BY)
    .option('--json', 'print JSON')
    .action(
      (
        id: string,
        verdict: string | undefined,
        opts: { undo?: boolean; note?: string; by?: string; json?: boolean },
      ) =>
        withContext('initiative', async (ctx) => {
          if (!opts.undo && !ASSESSMENT_VERDICTS.includes(verdict as AssessmentVerdict))
            throw new OperationRefused('invalid_input', `say the verdict: ${ASSESSMENT_VERDICTS.join(', ')}`);
          const r = opts.undo
            ? await undoAssessment(ctx.db, actor(opts.by), { initiativeId: id, note: opts.note ?? null })
            : await assessInitiative(ctx.db, actor(opts.by), {
                initiativeId: id,
                verdict: verdict as AssessmentVerdict,
                note: opts.note ?? null,
              });
          io.out(
            opts.json
              ? JSON.stringify(r)
              : `initiative ${r.initiativeId} "${r.title}": ${r.verdict ? ASSESSMENT_VERDICT_LABEL[r.verdict] : 'no assessment'}`,
          );
        }),
    );
}
