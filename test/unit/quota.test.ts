import { describe, expect, it } from 'vitest';
import { progressPercent, requiredInitiatives, shortBy } from '../../src/domain/quota.js';

describe('quota rules', () => {
  const quotas2021 = { department: 1, district: 2 };

  it('takes the campaign quota of the agency kind', () => {
    expect(requiredInitiatives({ kind: 'department', registryQuota: 1 }, quotas2021)).toBe(1);
    expect(requiredInitiatives({ kind: 'district', registryQuota: 2 }, quotas2021)).toBe(2);
  });

  it('lets the campaign win over the registry, and falls back to the registry for kinds it does not name', () => {
    expect(requiredInitiatives({ kind: 'district', registryQuota: 5 }, quotas2021)).toBe(2);
    expect(requiredInitiatives({ kind: 'ward', registryQuota: 1 }, quotas2021)).toBe(1);
    expect(requiredInitiatives({ kind: 'commune', registryQuota: null }, quotas2021)).toBe(0);
  });

  it('counts the shortfall and never below zero', () => {
    expect(shortBy(2, 0)).toBe(2);
    expect(shortBy(2, 1)).toBe(1);
    expect(shortBy(2, 3)).toBe(0);
  });
});

describe('progress toward what is required', () => {
  it('is whole percent, capped at 100, and 100 when nothing is required', () => {
    expect(progressPercent(1, 2)).toBe(50);
    expect(progressPercent(2, 3)).toBe(67);
    expect(progressPercent(5, 2)).toBe(100);
    expect(progressPercent(0, 0)).toBe(100);
    expect(progressPercent(0, 4)).toBe(0);
  });
});
