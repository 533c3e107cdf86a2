import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { parserLimits } from '../../config.js';
import { asError } from '../../errors.js';
import { explainReading } from '../../parser/explain.js';
import { createParserPool } from '../../parser/parser-pool.js';
import { parseAgencyCsv, readDataFile } from '../../registry/reference/data-files.js';
import type { CliDeps } from '../cli-context.js';
import { CliExit } from '../cli-io.js';
import { defaultDataFiles } from '../project-root.js';

export function registerParseCommand(program: Command, { io, config }: CliDeps): void {
  program
    .command('parse')
    .description(
      'read form files and print what they say, one JSON object per file (exit 2 if any is unreadable)',
    )
    .argument('<files...>', '.docx, .doc or .pdf files')
    .option(
      '--registry <file>',
      'agency registry CSV to resolve the agency against (default: the shipped one)',
    )
    .option('--timeout <ms>', 'time limit per file, in milliseconds')
    .option('--explain', 'for each field, print where its text came from, and the text nothing accounts for')
    .action(async (files: string[], opts: { registry?: string; timeout?: string; explain?: boolean }) => {
      const cfg = config();
      const registryFile = opts.registry ?? defaultDataFiles().registry;
      const registry = parseAgencyCsv(await readDataFile(registryFile), registryFile).map(
        ({ code, name, kind }) => ({
          code,
          name,
          kind,
        }),
      );
      const options = {
        registry,
        limits: parserLimits(cfg),
        explain: opts.explain === true,
      };
      const timeoutMs = opts.timeout ? Number(opts.timeout) : cfg.PARSE_TIMEOUT_MS;
      let unreadable = 0;
      const pool = createParserPool({ threads: 1, timeoutMs });
      try {
        for (const file of files) {
          let bytes: Buffer;
          try {
            bytes = await readFile(file);
          } catch (err) {
            unreadable++;
            io.out(
              JSON.stringify({ file, error: { code: 'file_unreadable', message: asError(err).message } }),
            );
            continue;
          }
          const outcome = await pool.parse(bytes, basename(file), options);
          if (outcome.ok && opts.explain) io.out(explainReading(file, outcome.form, outcome.explanation));
          else if (outcome.ok) io.out(JSON.stringify({ file, ...outcome.form }));
          else {
            unreadable++;
            io.out(JSON.stringify({ file, error: outcome.error }));
          }
        }
      } finally {
        await pool.close();
      }
      if (unreadable > 0) throw new CliExit(2);
    });
}
