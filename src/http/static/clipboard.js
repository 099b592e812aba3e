// Loaded on every page (see src/http/pages/layout.ts). Marks the document as scripted, so that CSS can
// show controls that need JavaScript, and makes each `button[data-copy="#id"]` copy the text of its
// target: the one-time secret box. The text is copied exactly as shown — groups of four with spaces —
// because the server accepts app passwords with or without them.
(() => {
  // biome-ignore lint/suspicious/noRedundantUseStrict: browsers load this as a classic script, not a module.
  'use strict';

  document.documentElement.classList.add('js');

  // A live region that exists before it is used: screen readers ignore regions born with content.
  const live = document.createElement('div');
  live.className = 'visually-hidden';
  live.setAttribute('aria-live', 'polite');
  document.body.appendChild(live);

  function announce(text) {
    live.textContent = '';
    // Clearing first makes a repeated message ("Copied", "Copied") be read again.
    setTimeout(() => {
      live.textContent = text;
    }, 50);
  }

  function selectText(el) {
    const range = document.createRange();
    range.selectNodeContents(el);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // The old way, for browsers without the async clipboard (or outside a secure context). It copies
  // the selection, so the secret stays selected and can be copied by hand if this fails too.
  function copyBySelection(el) {
    selectText(el);
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }

  async function copy(el) {
    const text = el.textContent.trim();
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch {
        // Permission refused or document not focused: the selection route may still work.
      }
    }
    return copyBySelection(el);
  }

  function target(button) {
    const ref = button.getAttribute('data-copy') || '';
    return ref.startsWith('#') ? document.getElementById(ref.slice(1)) : null;
  }

  for (const button of document.querySelectorAll('button[data-copy]')) {
    const label = button.textContent;
    let timer = null;
    button.addEventListener('click', async () => {
      const el = target(button);
      if (!el) return;
      const ok = await copy(el);
      clearTimeout(timer);
      // The page's words, in the person's language (data-copied, data-copied-said, data-copy-failed).
      if (ok) {
        button.textContent = button.dataset.copied || 'Copied';
        announce(button.dataset.copiedSaid || 'Copied to the clipboard.');
        timer = setTimeout(() => {
          button.textContent = label;
        }, 2000);
      } else {
        selectText(el);
        announce(
          button.dataset.copyFailed ||
            'Could not copy automatically. The text is selected: press Control+C, or Command+C on a Mac.',
        );
      }
    });
  }
})();
