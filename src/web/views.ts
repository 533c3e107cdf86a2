import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { vocabularyWord } from '../domain/labels.js';
import { formatDate, formatDateTime, formatMonth, formatTimeOnDay } from '../domain/time.js';

/**
 * The console's pages: `templates/web/<name>.hbs` rendered inside `layout.hbs`, partials from `partials/`.
 * Everything is escaped by default; no template uses {{{ }}} on anything a sender or a document wrote.
 */
export class ConsoleViews {
  private readonly hb = Handlebars.create();
  private readonly cache = new Map<string, HandlebarsTemplateDelegate>();

  constructor(
    private readonly dir: string,
    private readonly timeZone: string,
  ) {
    const hb = this.hb;
    hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    hb.registerHelper('word', vocabularyWord);
    // The registry's name of an agency code (the agency picker shows names, never codes).
    hb.registerHelper('agencyNamed', (agencies: unknown, code: unknown) =>
      Array.isArray(agencies)
        ? ((agencies as { code: string; name: string }[]).find((a) => a.code === code)?.name ?? '')
        : '',
    );
    hb.registerHelper('month', (m: unknown) => (typeof m === 'string' ? formatMonth(m) : ''));
    hb.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).join(''));
    hb.registerHelper('date', (d: unknown) =>
      d instanceof Date || typeof d === 'string' ? formatDate(d, this.timeZone) : '',
    );
    hb.registerHelper('dateTime', (d: unknown) =>
      d instanceof Date
        ? formatDateTime(d, this.timeZone)
        : typeof d === 'string'
          ? formatDateTime(new Date(d), this.timeZone)
          : '',
    );
    // Inside a sentence: "14:02 ngày 05/12/2021".
    hb.registerHelper('timeOnDay', (d: unknown) =>
      d instanceof Date || typeof d === 'string' ? formatTimeOnDay(new Date(d), this.timeZone) : '',
    );
    // A person by name, as a sentence names them: the console records "Nguyễn Thị Lan (lan)" (the account's
    // name and username, action-runner.ts), the username is left off.
    hb.registerHelper('personName', (by: unknown) =>
      typeof by === 'string' ? by.replace(/ \([a-z0-9._-]{1,63}\)$/, '') : '',
    );
    const partials = join(dir, 'partials');
    for (const file of readdirSync(partials)) {
      const m = /^(.+)\.hbs$/.exec(file);
      if (m?.[1]) hb.registerPartial(m[1], readFileSync(join(partials, file), 'utf8'));
    }
  }

  private template(name: string): HandlebarsTemplateDelegate {
    let t = this.cache.get(name);
    if (!t) {
      t = this.hb.compile(readFileSync(join(this.dir, `${name}.hbs`), 'utf8'), { strict: false });
      this.cache.set(name, t);
    }
    return t;
  }

  /** A whole page: the named template's output inside the layout. */
  page(name: string, view: Record<string, unknown>): string {
    const body = this.template(name)(view);
    return this.template('layout')({ ...view, body: new Handlebars.SafeString(body) });
  }
}
