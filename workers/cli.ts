import { runCli } from '../src/ops/cli.js';

// `reform ...`: operator and data commands. Exit status: 0 ok, 1 failure, 2 unreadable input (parse),
// 64 usage, 65 bad data file, 78 bad configuration.
process.exitCode = await runCli(process.argv.slice(2));
