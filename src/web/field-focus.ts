/** A field's id as the console's templates write them (`agency-CCHC-2021-00001`, `dismiss-note-file-12`). */
export const FOCUSABLE = /^[A-Za-z0-9-]{1,120}$/;

/** The id a template gives a form's field: a prefix, then the form's values that tell its forms on a page apart. */
export const fieldId = (prefix: string, form: Record<string, unknown>, ...keys: string[]) =>
  [prefix, ...keys.map((k) => String(form[k]))].join('-');

/** The way back to a form with the field in error focused (`?focus=`, read by the page renderer) and in view. */
export function focusOn(back: string, field: string | undefined): string {
  if (!field || !FOCUSABLE.test(field)) return back;
  const [path = '/'] = back.split('#');
  return `${path}${path.includes('?') ? '&' : '?'}focus=${field}#${field}`;
}
