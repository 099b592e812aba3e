// Building HTML for the server-rendered pages without ever concatenating an unescaped string. Every
// value interpolated into html`` is escaped unless it is already SafeHtml, so the only way to emit
// markup from user data is to say so with raw(), which reviewers can grep for.

/** Markup that has already been escaped or was written by us; html`` inserts it as is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // A backtick ends an attribute value in old Internet Explorer; escaping it costs nothing.
  '`': '&#96;',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

/** Trusts `s` as markup. Only for strings we wrote ourselves, never for anything a person typed. */
export function raw(s: string): SafeHtml {
  return new SafeHtml(s);
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new SafeHtml(out);
}

const ATTRIBUTE_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * ` name="value"` pairs, each preceded by a space so that `<input${attrs(o)}>` reads naturally.
 * Names are ours, not user data, but a malformed one would break the tag, so it is a bug worth a throw.
 */
export function attrs(o: Record<string, string | number | boolean | null | undefined>): SafeHtml {
  let out = '';
  for (const [name, value] of Object.entries(o)) {
    if (!ATTRIBUTE_NAME.test(name)) throw new Error(`invalid attribute name: ${name}`);
    // The Content-Security-Policy blocks inline handlers and style attributes; failing here says so
    // at the line that tried, instead of as a silent no-op in the browser.
    if (name === 'style' || name.startsWith('on'))
      throw new Error(`attribute not allowed under our CSP: ${name}`);
    if (value === false || value === null || value === undefined) continue;
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return new SafeHtml(out);
}
