import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileFiles } from '../helpers/make-hostile.js';
import { projectDir } from '../helpers/paths.js';

// `reform parse` on every hostile file, as a process of its own: each file refused with its typed error, and
// the peak resident memory of the command and of every parser child it starts kept under the parse budget.

const BUDGET_MB = 400;
const MB = 1024 * 1024;

/** The processes under `root` (itself included), from /proc. */
function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      // The command name may hold spaces and parentheses; the fields after its last ')' are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(name), ppid);
    } catch {
      // The process ended while being read.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  }
  return tree;
}

/** A process's peak resident memory so far (VmHWM), in bytes, or null once it has gone. */
function peakOf(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

describe.runIf(process.platform === 'linux')('reform parse on hostile files', { timeout: 120_000 }, () => {
  let dir: string;
  const files = hostileFiles();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reform-hostile-'));
    for (const f of files) await writeFile(join(dir, f.name), f.bytes);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses each with its typed error in seconds, every process of it under the memory budget', async () => {
    const cli = spawn(
      'node',
      ['--import', 'tsx', 'workers/cli.ts', 'parse', ...files.map((f) => join(dir, f.name))],
      {
        cwd: projectDir,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
          LOG_LEVEL: 'silent',
          PARSE_MEMORY_MB: String(BUDGET_MB),
          PARSE_TIMEOUT_MS: '20000',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    cli.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    cli.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    const peaks = new Map<number, number>();
    const sample = () => {
      if (cli.pid === undefined) return;
      for (const pid of processTree(cli.pid)) {
        const peak = peakOf(pid);
        if (peak !== null) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, peak));
      }
    };
    const sampler = setInterval(sample, 20);
    const code = await new Promise<number | null>((resolve) => cli.on('exit', (c) => resolve(c)));
    clearInterval(sampler);

    expect(stderr).toBe('');
    expect(code).toBe(2); // every file unreadable
    const outcomes = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { file: string; error?: { code: string } });
    expect(outcomes.map((o) => [o.file.slice(dir.length + 1), o.error?.code])).toEqual(
      files.map((f) => [f.name, f.expected]),
    );
    // The command itself and the parser child (the tsx loader included) both stayed within the budget.
    expect(peaks.size).toBeGreaterThanOrEqual(2);
    for (const peak of peaks.values()) expect(peak).toBeLessThan(BUDGET_MB * MB);
  });
});
