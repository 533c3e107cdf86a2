import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import {
  addStaffAccount,
  setStaffDisabled,
  setStaffPassword,
  staffAccounts,
} from '../../staff/staff-accounts.js';
import type { CliDeps, WithContext } from '../cli-context.js';
import { formatTable } from '../cli-io.js';

/** Where a password comes from: never argv (it would sit in the shell history and in `ps`). */
export type SecretReader = (prompt: string) => Promise<string>;

/** From a terminal: asked twice without echo. Piped: the first line of standard input. */
const readSecretFromStdin: SecretReader = async (prompt) => {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
    return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trim();
  }
  const ask = (q: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      // Keep the prompt, hide what is typed.
      const out = rl as unknown as { _writeToOutput: (s: string) => void };
      out._writeToOutput = (s: string) => {
        if (s.includes(q)) process.stderr.write(q);
      };
      rl.question(q, (answer) => {
        rl.close();
        process.stderr.write('\n');
        resolve(answer);
      });
    });
  const first = await ask(prompt);
  const again = await ask('again: ');
  if (first !== again) throw new Error('the two passwords differ');
  return first;
};

export function registerStaffCommands(
  program: Command,
  { io }: CliDeps,
  withContext: WithContext,
  readSecret: SecretReader = readSecretFromStdin,
): void {
  const staff = program.command('staff').description('accounts of the staff console');

  staff
    .command('add')
    .description('create an account; the password is read from the terminal or the first line of stdin')
    .argument('<username>', 'letters a-z, digits, ".", "_" or "-"')
    .requiredOption('--name <name>', 'the name shown in the console and the audit log')
    .option('--role <role>', 'staff, or operator (also sees the queue dashboard)', 'staff')
    .action((username: string, opts: { name: string; role: string }) =>
      withContext('staff', async (ctx) => {
        const password = await readSecret('password: ');
        const a = await addStaffAccount(ctx.db, {
          username,
          displayName: opts.name,
          role: opts.role,
          password,
        });
        io.out(`account ${a.username} (${a.displayName}, ${a.role}) created`);
      }),
    );

  staff
    .command('passwd')
    .description('set a new password (read as for add); the account is signed out everywhere')
    .argument('<username>')
    .action((username: string) =>
      withContext('staff', async (ctx) => {
        const password = await readSecret('new password: ');
        const a = await setStaffPassword(ctx.db, username, password);
        io.out(`password of ${a.username} changed`);
      }),
    );

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    staff
      .command(name)
      .description(disabled ? 'stop an account from signing in (and sign it out)' : 'let it sign in again')
      .argument('<username>')
      .action((username: string) =>
        withContext('staff', async (ctx) => {
          const a = await setStaffDisabled(ctx.db, username, disabled);
          io.out(`account ${a.username} ${disabled ? 'disabled' : 'enabled'}`);
        }),
      );
  }

  staff
    .command('list')
    .description('the accounts')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withContext('staff', async (ctx) => {
        const rows = await staffAccounts(ctx.db);
        if (opts.json) io.out(JSON.stringify(rows));
        else
          io.out(
            formatTable(
              ['username', 'name', 'role', 'state'],
              rows.map((a) => [a.username, a.displayName, a.role, a.disabled ? 'disabled' : 'active']),
            ),
          );
      }),
    );
}
