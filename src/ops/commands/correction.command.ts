import type { Command } from 'commander';
import { INITIATIVE_FIELD_NAMES } from '../../domain/initiative-fields.js';
import { OperationRefused } from '../../errors.js';
import { correctField } from '../../registry/decisions/correct-field.js';
import { restoreParserReading, undoCorrection } from '../../registry/decisions/take-back-correction.js';
import { actor, BY, type CliDeps, type WithContext } from '../cli-context.js';

interface CorrectOptions {
  field: string;
  value?: string;
  parserReading?: boolean;
  undo?: boolean;
  note?: string;
  by?: string;
  json?: boolean;
}

/**
 * A person's correction of a field: `reform initiative correct ID --field F --value V`, taken back with `--undo`
 * (the value before it comes back) or `--parser-reading` (every correction of the field: the parser's reading).
 */
export function registerCorrectCommand(
  initiative: Command,
  { io }: Pick<CliDeps, 'io'>,
  withContext: WithContext,
): void {
  initiative
    .command('correct')
    .description(
      "correct a field the parser misread (kept beside the parser's reading; a replay and a confirmation keep it)",
    )
    .argument('<id>', 'the initiative id')
    .requiredOption('--field <field>', INITIATIVE_FIELD_NAMES.join(', '))
    .option('--value <text>', 'the right value ("" when the form has none)')
    .option('--undo', 'take back the correction in force: the value before it comes back')
    .option('--parser-reading', "take back every correction of the field: the parser's reading comes back")
    .option('--note <text>', 'why (kept in the history)')
    .option(...BY)
    .option('--json', 'print JSON')
    .action((id: string, opts: CorrectOptions) =>
      withContext('initiative', async (ctx) => {
        const ways = [opts.value !== undefined, opts.undo === true, opts.parserReading === true];
        if (ways.filter(Boolean).length !== 1)
          throw new OperationRefused('invalid_input', 'say one of --value TEXT, --undo, --parser-reading');
        const by = actor(opts.by);
        const target = { initiativeId: id, field: opts.field, note: opts.note ?? null };
        const r = opts.undo
          ? await undoCorrection(ctx.db, by, target)
          : opts.parserReading
            ? await restoreParserReading(ctx.db, by, target)
            : await correctField(ctx.db, by, { ...target, value: opts.value ?? null });
        io.out(
          opts.json
            ? JSON.stringify(r)
            : `initiative ${r.initiativeId}: ${r.field} ${JSON.stringify(r.before)} → ${JSON.stringify(r.after)}`,
        );
      }),
    );
}
