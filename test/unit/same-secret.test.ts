import { describe, expect, it } from 'vitest';
import { sameSecret } from '../../src/staff/same-secret.js';

describe('comparing a secret', () => {
  it('accepts the very secret and refuses any other, of any length', () => {
    expect(sameSecret('Bearer s3cret-token', 'Bearer s3cret-token')).toBe(true);
    expect(sameSecret('Bearer s3cret-tokeN', 'Bearer s3cret-token')).toBe(false);
    expect(sameSecret('Bearer s3cret', 'Bearer s3cret-token')).toBe(false);
    expect(sameSecret('', 'Bearer s3cret-token')).toBe(false);
    expect(sameSecret('mật khẩu', 'mật khẩu')).toBe(true);
  });
});
