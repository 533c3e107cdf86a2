import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/config.js';
import { projectDir } from '../helpers/paths.js';

// The README and docs/ name files and link to each other; a rename or a moved section must not leave them pointing
// at nothing. These checks keep the documentation honest in CI.

const docsDir = join(projectDir, 'docs');
const documents = [
  join(projectDir, 'README.md'),
  ...readdirSync(docsDir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(docsDir, f)),
];

/** The text outside fenced code blocks and inline code spans, where a `[label](target)` is a real link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsIn(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchorOf(m[1] ?? '')));
}

interface Link {
  from: string;
  target: string;
}

function relativeLinks(file: string): Link[] {
  const from = relative(projectDir, file);
  return [...prose(readFileSync(file, 'utf8')).matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] ?? '')
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
    .map((target) => ({ from, target }));
}

/** Each problem as "file: target — why", so a failure names every broken link at once. */
function brokenLinks(): string[] {
  const problems: string[] = [];
  for (const file of documents) {
    for (const { from, target } of relativeLinks(file)) {
      const [path = '', anchor] = target.split('#');
      const resolved = path === '' ? file : join(dirname(file), decodeURIComponent(path));
      if (!existsSync(resolved)) {
        problems.push(`${from}: ${target} — no such file`);
        continue;
      }
      if (anchor && resolved.endsWith('.md') && !anchorsIn(resolved).has(anchor)) {
        problems.push(`${from}: ${target} — no heading #${anchor}`);
      }
    }
  }
  return problems;
}

/** Repository paths written as code (`src/parser/parser-pool.ts`), except patterns such as `*.repository.ts`. */
function namedPaths(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return [
    ...text.matchAll(/`((?:src|workers|scripts|templates|data|bench|test|docs|bin|deploy|\.ci)\/[^`\s]*)`/g),
  ]
    .map((m) => m[1] ?? '')
    .filter((p) => !/[*<>{}$]/.test(p));
}

// What a run writes (git-ignored, so absent from a fresh checkout) may be named without existing.
const GENERATED = ['test/artifacts/', 'dist/', 'coverage/'];

describe('documentation', () => {
  it('has every relative link in README.md and docs/ pointing at an existing file and heading', () => {
    expect(relativeLinks(join(projectDir, 'README.md')).length).toBeGreaterThan(0);
    expect(brokenLinks()).toEqual([]);
  });

  it('names only files and folders that exist', () => {
    const missing = documents.flatMap((file) =>
      namedPaths(file)
        .filter((p) => !GENERATED.some((g) => p.startsWith(g)) && !existsSync(join(projectDir, p)))
        .map((p) => `${relative(projectDir, file)}: ${p}`),
    );
    expect(missing).toEqual([]);
  });

  it('lists every configuration variable once in the README', () => {
    const readme = readFileSync(join(projectDir, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Architecture'));
    const named = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]));
    expect([...named].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('keeps the README a front door of at most 300 lines', () => {
    const lines = readFileSync(join(projectDir, 'README.md'), 'utf8').split('\n').length;
    expect(lines).toBeLessThanOrEqual(300);
  });
});
