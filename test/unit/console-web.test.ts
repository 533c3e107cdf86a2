import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { fold } from '../../src/domain/text.js';
import { cookieHeader, readCookies } from '../../src/web/cookies.js';
import { safeNext, sameOrigin } from '../../src/web/session.js';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as Request;

describe('console request guards', () => {
  it('returns after sign-in only to a page of the console itself', () => {
    expect(safeNext('/agencies/so-tu-phap?campaign=hanoi-2021')).toBe(
      '/agencies/so-tu-phap?campaign=hanoi-2021',
    );
    for (const bad of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
      '/login',
      42,
    ])
      expect(safeNext(bad)).toBe('/');
  });

  it('takes a change as same-origin only when Origin (or Referer) names the host', () => {
    const host = '127.0.0.1:8080';
    expect(sameOrigin(request({ host, origin: 'http://127.0.0.1:8080' }))).toBe(true);
    expect(sameOrigin(request({ host, referer: 'http://127.0.0.1:8080/review' }))).toBe(true);
    expect(sameOrigin(request({ host, origin: 'http://127.0.0.1:8081' }))).toBe(false);
    expect(sameOrigin(request({ host, origin: 'https://evil.example' }))).toBe(false);
    expect(sameOrigin(request({ host, origin: 'null' }))).toBe(false);
    expect(sameOrigin(request({ host }))).toBe(false);
  });

  it('reads and writes cookies with the flags the console needs', () => {
    expect(readCookies('a=1; reform_console=abc%3D; a=2; junk')).toEqual(
      new Map([
        ['a', '1'],
        ['reform_console', 'abc='],
      ]),
    );
    expect(cookieHeader('__Host-reform_console', 't', { secure: true })).toBe(
      '__Host-reform_console=t; Path=/; HttpOnly; SameSite=Lax; Secure',
    );
    expect(cookieHeader('reform_console', '', { secure: false, maxAge: 0 })).toMatch(/Max-Age=0$/);
  });

  it('finds agencies by name with or without Vietnamese marks', () => {
    expect(fold('  UBND huyện Gia Lâm ')).toBe('ubnd huyen gia lam');
    expect(fold('Quận Đống Đa')).toBe('quan dong da');
  });
});
