import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type HandlebarsNamespace from 'handlebars';
import { vocabularyWord } from '../domain/labels.js';

// Loaded by the first renderer: a process that renders no mail (the poller, the mailer) never holds it.
const handlebars = () => createRequire(import.meta.url)('handlebars') as typeof HandlebarsNamespace;

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

type Compiled = {
  subject: HandlebarsTemplateDelegate;
  html: HandlebarsTemplateDelegate;
  text: HandlebarsTemplateDelegate;
};

/**
 * Renders the templates of `dir` (`<name>.subject.hbs`, `<name>.html.hbs`, `<name>.txt.hbs`, partials in
 * `partials/`). HTML escapes everything by default; a sender's text is only ever output with {{ }}.
 */
export class MailRenderer {
  private readonly html = handlebars().create();
  private readonly text = handlebars().create();
  private readonly cache = new Map<string, Compiled>();
  /** The folder the templates (and the blank forms in `forms/`) come from. */
  readonly templatesDir: string;

  constructor(private readonly dir: string) {
    this.templatesDir = dir;
    for (const hb of [this.html, this.text]) {
      hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
      hb.registerHelper('inc', (n: number) => n + 1);
      hb.registerHelper('word', vocabularyWord);
    }
    const partials = join(dir, 'partials');
    for (const file of readdirSync(partials)) {
      const m = /^(.+)\.(html|txt)\.hbs$/.exec(file);
      if (!m?.[1]) continue;
      (m[2] === 'html' ? this.html : this.text).registerPartial(
        m[1],
        readFileSync(join(partials, file), 'utf8'),
      );
    }
  }

  private compiled(name: string): Compiled {
    let c = this.cache.get(name);
    if (!c) {
      const read = (ext: string) => readFileSync(join(this.dir, `${name}.${ext}.hbs`), 'utf8');
      c = {
        subject: this.text.compile(read('subject'), { noEscape: true, strict: false }),
        html: this.html.compile(read('html')),
        text: this.text.compile(read('txt'), { noEscape: true }),
      };
      this.cache.set(name, c);
    }
    return c;
  }

  render(name: string, view: Record<string, unknown>): RenderedMail {
    const c = this.compiled(name);
    const subject = c.subject(view).replace(/\s+/g, ' ').trim();
    return {
      subject,
      html: c.html({ ...view, subject }),
      text: `${c
        .text(view)
        .replace(/\n{3,}/g, '\n\n')
        .trim()}\n`,
    };
  }
}
