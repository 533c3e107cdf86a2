// A minimal browser for the staff console over fetch: keeps cookies, sends the site's Origin, finds CSRF tokens.
export class ConsoleClient {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly base: string,
    private readonly origin = base,
  ) {}

  private remember(r: Response): void {
    for (const line of r.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string): Promise<Response> {
    const r = await fetch(this.base + path, { redirect: 'manual', headers: { cookie: this.cookieHeader() } });
    this.remember(r);
    return r;
  }

  async post(
    path: string,
    form: Record<string, string>,
    opts: { origin?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {
      ...opts.headers,
      cookie: this.cookieHeader(),
      'content-type': 'application/x-www-form-urlencoded',
    };
    const origin = opts.origin === undefined ? this.origin : opts.origin;
    if (origin !== null) headers.origin = origin;
    const r = await fetch(this.base + path, {
      method: 'POST',
      redirect: 'manual',
      headers,
      body: new URLSearchParams(form).toString(),
    });
    this.remember(r);
    return r;
  }

  /** The value of a hidden input on a page. */
  static hidden(html: string, name: string): string {
    const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
    if (!m?.[1]) throw new Error(`no ${name} field on the page`);
    return m[1];
  }

  async login(username: string, password: string, headers?: Record<string, string>): Promise<Response> {
    const form = await (await this.get('/login')).text();
    return this.post(
      '/login',
      { _login: ConsoleClient.hidden(form, '_login'), username, password },
      { headers },
    );
  }

  /** The session's CSRF token, as every signed-in page carries it. */
  async csrf(): Promise<string> {
    return ConsoleClient.hidden(await (await this.get('/')).text(), '_csrf');
  }
}
