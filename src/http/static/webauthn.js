// Security keys and passkeys in the browser: the one place a sign-in page needs JavaScript, because
// WebAuthn is a browser API with no HTML form equivalent. Loaded after /static/simplewebauthn-browser.js
// (the UMD bundle of @simplewebauthn/browser, global `SimpleWebAuthnBrowser`).
//
// Contract with the server-rendered pages: a `<form data-webauthn="register">` or
// `<form data-webauthn="authenticate">` carries the options JSON in `data-options`, a hidden
// `<input name="response">`, a submit button, and a `[data-webauthn-status]` live region. On submit
// the browser talks to the key; its answer goes into the hidden input and the form is posted as usual,
// so the server checks it exactly like any other form field.
(() => {
  // biome-ignore lint/suspicious/noRedundantUseStrict: a classic <script>, not a module: not strict by default.
  'use strict';

  const NO_ANSWER =
    'Your browser did not get an answer from a security key. Try again, or use another method.';
  const UNSUPPORTED =
    'This browser cannot use security keys or passkeys. Use another method, or another browser.';
  const ALREADY_REGISTERED = 'This security key is already registered. Use another key, or another method.';

  const lib = window.SimpleWebAuthnBrowser;

  function say(status, text) {
    if (!status) return;
    status.textContent = '';
    // Clearing first makes a repeated message be read again by screen readers.
    setTimeout(() => {
      status.textContent = text;
    }, 50);
  }

  function messageFor(err) {
    // startRegistration maps InvalidStateError (a key listed in excludeCredentials) to this code.
    if (err && err.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') return ALREADY_REGISTERED;
    // Cancelled, timed out, no key present, not a secure context: the person can do the same thing
    // about all of them, and the browser deliberately does not say which one it was.
    return NO_ANSWER;
  }

  function setUp(form) {
    const mode = form.getAttribute('data-webauthn');
    const status = form.querySelector('[data-webauthn-status]');
    const field = form.querySelector('input[name="response"]');
    const button = form.querySelector('button[type="submit"], button:not([type]), input[type="submit"]');
    if (!field || (mode !== 'register' && mode !== 'authenticate')) return;

    let optionsJSON = null;
    try {
      // The attribute value is already unescaped by the HTML parser.
      optionsJSON = JSON.parse(form.getAttribute('data-options') || '');
    } catch {
      optionsJSON = null;
    }

    const supported =
      !!lib && typeof lib.browserSupportsWebAuthn === 'function' && lib.browserSupportsWebAuthn();
    if (!supported || !optionsJSON) {
      say(status, supported ? NO_ANSWER : UNSUPPORTED);
      if (button) button.disabled = true;
      // Without WebAuthn a submit would post an empty answer; keep the form from going anywhere.
      form.addEventListener('submit', (event) => event.preventDefault());
      return;
    }

    let busy = false;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      // A second click while the browser's own dialog is open would start a second ceremony.
      if (busy) return;
      busy = true;
      if (button) button.disabled = true;
      say(status, '');
      try {
        const result =
          mode === 'register'
            ? await lib.startRegistration({ optionsJSON })
            : await lib.startAuthentication({ optionsJSON });
        field.value = JSON.stringify(result);
        // The prototype's submit: a form control named "submit" would shadow form.submit. It posts
        // without firing this handler again; the button stays disabled while the page loads.
        HTMLFormElement.prototype.submit.call(form);
      } catch (err) {
        say(status, messageFor(err));
        busy = false;
        if (button) button.disabled = false;
      }
    });
  }

  for (const form of document.querySelectorAll('form[data-webauthn]')) setUp(form);
})();
