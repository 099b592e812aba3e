// Form and page pieces that layout.ts does not have (yet): a number field, a badge, a GET form for
// searches and filters, and a titled section. Shared by the administration areas. Their words come
// from the caller, in the page's language; the screen reader's "Error:" from `words`.

import { ENGLISH, type Words } from '../i18n/index.js';
import { attrs, html, type SafeHtml } from './html.js';

export function numberField(o: {
  name: string;
  label: string;
  value: string;
  min: number;
  max: number;
  hint: string | SafeHtml;
  error?: string | null;
  /** The page's words, for the screen reader's "Error:" before an error. Default English. */
  words?: Words;
}): SafeHtml {
  const id = `f-${o.name}`;
  const hintId = `${id}-hint`;
  const errorId = o.error ? `${id}-error` : null;
  return html`<div class="${o.error ? 'field has-error' : 'field'}">
<label for="${id}">${o.label}</label>
<p class="hint" id="${hintId}">${o.hint}</p>${o.error ? html`<p class="error" id="${errorId}"><span class="visually-hidden">${(o.words ?? ENGLISH).t('field.errorPrefix')} </span>${o.error}</p>` : ''}
<input${attrs({
    type: 'number',
    id,
    name: o.name,
    value: o.value,
    min: o.min,
    max: o.max,
    step: 1,
    required: true,
    inputmode: 'numeric',
    'aria-describedby': errorId ? `${hintId} ${errorId}` : hintId,
    'aria-invalid': o.error ? 'true' : null,
  })}>
</div>`;
}

export function badge(text: string, kind: 'ok' | 'bad' | null = null): SafeHtml {
  return html`<span class="${kind ? `badge badge-${kind}` : 'badge'}">${text}</span>`;
}

/** A form that reads (search, filters): GET, so the address can be bookmarked and shared. */
export function getForm(action: string, label: string, body: SafeHtml): SafeHtml {
  return html`<form method="get" action="${action}" role="search" aria-label="${label}" class="filters">
${body}
</form>`;
}

export function section(id: string, title: string, body: SafeHtml | string): SafeHtml {
  return html`<section class="card-section" aria-labelledby="${id}">
<h2 id="${id}">${title}</h2>
${body}
</section>`;
}
