import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OperationRefused } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import { action, actionRunner } from '../../src/web/action-runner.js';
import type { ConsoleDeps } from '../../src/web/deps.js';
import type { PageRenderer } from '../../src/web/page-renderer.js';
import { BAD_INPUT, field, formOf, read } from '../../src/web/request-input.js';

const KINDS = ['message', 'file', 'result'] as const;
const Item = z.object({
  kind: field.oneOf(KINDS, 'Không rõ loại việc.'),
  id: field.id('việc'),
  note: field.note(),
  back: field.back(),
});

describe('what the console reads from a form or an address', () => {
  it('reads text, notes, ticks and numbers the way the pages send them', () => {
    const Form = z.object({
      reference: field.text(5),
      note: field.note(),
      remember: field.ticked(),
      id: field.id('thư'),
    });
    expect(read(Form, { reference: 'CCHC-2021-00001', note: '  ', remember: 'on', id: '42' })).toEqual({
      ok: true,
      input: { reference: 'CCHC-', note: null, remember: true, id: '42' },
    });
    expect(read(Form, { id: '7' })).toEqual({
      ok: true,
      input: { reference: '', note: null, remember: false, id: '7' },
    });
    expect(read(Form, { id: '7', note: ' vì sao ' })).toMatchObject({ input: { note: 'vì sao' } });
  });

  it('takes only a listed word, typed as the list is', () => {
    const ok = read(Item, { kind: 'file', id: '3' });
    expect(ok).toEqual({ ok: true, input: { kind: 'file', id: '3', note: null, back: '' } });
    expect(read(Item, { kind: 'fil', id: '3' })).toEqual({ ok: false, message: 'Không rõ loại việc.' });
    expect(read(Item, { id: '3' })).toEqual({ ok: false, message: 'Không rõ loại việc.' });
  });

  it("refuses altered input in Vietnamese, each problem said once, never in zod's words", () => {
    expect(read(Item, { kind: 'message', id: '1; drop' })).toEqual({
      ok: false,
      message: 'Số hiệu việc không hợp lệ.',
    });
    // A field sent twice arrives as a list.
    expect(read(Item, { kind: 'message', id: '1', note: ['a', 'b'], back: ['/', '/x'] })).toEqual({
      ok: false,
      message: BAD_INPUT,
    });
    expect(read(Item, undefined)).toEqual({ ok: false, message: BAD_INPUT });
  });

  it("takes an action's path parameters over its form's fields", () => {
    const req = { body: { id: '9', note: 'x' }, params: { id: '1' } } as unknown as Request;
    expect(formOf(req)).toEqual({ id: '1', note: 'x' });
  });
});

describe('how a console action answers', () => {
  const setUp = () => {
    const shown: { name: string; view: Record<string, unknown>; status?: number }[] = [];
    const page: PageRenderer = (_res, name, view, status) => void shown.push({ name, view, status });
    const log = { info: () => undefined } as unknown as Logger;
    const { act } = actionRunner({ log } as unknown as ConsoleDeps, page);
    const redirects: string[] = [];
    const res = {
      locals: {},
      redirect: (_status: number, to: string) => void redirects.push(to),
    } as unknown as Response;
    const ran: unknown[] = [];
    const dismissed = async (input: unknown) => {
      ran.push(input);
      return 'dismissed';
    };
    const post = (body: unknown, run = dismissed) =>
      act(
        { body, params: {} } as unknown as Request,
        res,
        action({ what: 't', form: Item, back: '/review' }),
        run,
      );
    return { shown, redirects, ran, post };
  };

  it('runs the operation with the form as declared and goes back to the page it came from', async () => {
    const { post, ran, redirects, shown } = setUp();
    await post({ kind: 'result', id: '12', note: ' ok ', back: '/messages/3#file-4', extra: 'ignored' });
    expect(ran).toEqual([{ kind: 'result', id: '12', note: 'ok', back: '/messages/3#file-4' }]);
    expect(redirects).toEqual(['/messages/3?ok=dismissed#file-4']);
    expect(shown).toEqual([]);
  });

  it('answers bad input with a 400 page in words and runs nothing', async () => {
    const { post, ran, redirects, shown } = setUp();
    await post({ kind: '?', id: '12', back: '/messages/3' });
    expect(ran).toEqual([]);
    expect(redirects).toEqual([]);
    expect(shown).toEqual([
      {
        name: 'message',
        view: { title: 'Không thực hiện được', message: 'Không rõ loại việc.', back: '/review' },
        status: 400,
      },
    ]);
  });

  it("shows a refusal in words with its status, and goes back to the form's page", async () => {
    const { post, shown } = setUp();
    await post({ kind: 'file', id: '12', back: '/messages/3' }, async () => {
      throw new OperationRefused('not_found', 'no file 12');
    });
    expect(shown).toEqual([
      {
        name: 'message',
        view: {
          title: 'Không thực hiện được',
          message: 'Không còn mục này (có thể người khác đã xử lý).',
          back: '/messages/3',
        },
        status: 404,
      },
    ]);
  });

  it('leaves any other failure to the server error page', async () => {
    const { post } = setUp();
    await expect(
      post({ kind: 'file', id: '12' }, async () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
  });
});
