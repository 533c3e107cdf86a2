import { describe, expect, it } from 'vitest';
import { formatTable } from '../../src/ops/cli-io.js';

describe('CLI tables', () => {
  it('pads columns by characters, so Vietnamese names line up', () => {
    const t = formatTable(
      ['code', 'name'],
      [
        ['so-tu-phap', 'Sở Tư pháp'],
        ['x', null],
      ],
    ).split('\n');
    expect(t[0]).toBe('code        name');
    expect(t[1]).toBe('----------  ----------');
    expect(t[2]).toBe('so-tu-phap  Sở Tư pháp');
    expect(t[3]).toBe('x');
  });
});
