// English: the source language. Every other catalogue has exactly these keys (types.ts makes a missing
// one a type error). Placeholders are {name}; a plural message has one sentence per category of
// Intl.PluralRules and is filled with {count}. Keys read page.part.detail; words shared by several
// pages sit under common.*.

import type { Message } from './types.js';

export const en = {
  'language.name': 'English',
  'language.choose': 'Language',

  'common.reference': 'Reference: {id}',
  'common.done': 'Done',
  'common.continue': 'Continue',

  // The page shell (layout.ts).
  'layout.skipLink': 'Skip to content',
  'layout.signedInAs': 'Signed in as',
  'layout.signOut': 'Sign out',
  'layout.help': 'Help',
  'field.errorPrefix': 'Error:',
  'secret.copyPassword': 'Copy password to clipboard',
  'time.never': 'Never',
  'time.justNow': 'just now',
  'time.inAMoment': 'in a moment',

  'nav.account': 'Account',
  'nav.administration': 'Administration',
  'nav.security': 'Security info',
  'nav.appPasswords': 'App passwords',
  'nav.apps': 'Apps with access',
  'nav.password': 'Password',
  'nav.signIns': 'Recent sign-ins',
  'nav.help': 'Help',
  'nav.adminOverview': 'Overview',
  'nav.adminUsers': 'Users',
  'nav.adminSignIns': 'Sign-ins',
  'nav.adminSettings': 'Settings',
  'nav.adminAudit': 'Audit log',
  'nav.adminImport': 'Import users',
  'nav.adminTokens': 'API tokens',
  'nav.adminClients': 'Apps',
  'nav.adminRadius': 'RADIUS',

  // Error pages (web.ts).
  'errorPage.toAccount': 'Go to your account',
  'errorPage.toSignIn': 'Go to sign-in',
  'errorPage.formExpired.title': 'This form has expired',
  'errorPage.formExpired.message':
    'The form did not come from this site, or it was open too long. Nothing was changed. Go back, reload the page and try again.',
  'errorPage.expired.title': 'This page has expired',
  'errorPage.problem.title': 'Something is not right',
  'errorPage.server.title': 'Something went wrong on our side',
  'errorPage.server.message':
    'Nothing you did caused this. Try again in a moment; if it keeps happening, tell your helpdesk the reference below.',
  'errorPage.badRequest.title': 'That request was not understood',
  'errorPage.badRequest.message': 'The form was not sent the way this page expects. Go back and try again.',

  // The sign-in form.
  'signIn.title': 'Sign in',
  'signIn.continueTo': 'Sign in to continue to {app}',
  'signIn.lead': 'Use your account name and password. You may be asked for a second step next.',
  'signIn.username.label': 'Username or email',
  'signIn.password.label': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.appHint':
    'Setting up a mail app or another app that asks for your password? Sign in here and create an app password for it.',
  'signIn.signedOut': 'You are signed out.',
  'signIn.error.appPassword':
    'That is an app password. App passwords are only for apps that cannot do two-step verification, such as mail apps on your phone or computer; they never open this page. Sign in with your account password.',
  'signIn.error.wrong': 'The username or password is not right. Check them and try again.',
  'signIn.error.throttled':
    'Too many sign-in attempts are coming from your network right now, so this one was not checked. Wait a minute and try again.',

  'expired.title': 'Sign-in expired',
  'expired.heading': 'This sign-in has expired',
  'expired.lead':
    'For your security, each sign-in must be finished within {minutes} minutes, and each step can be used once.',
  'expired.again': 'Sign in again',

  'flow.signingInAs': 'Signing in as {name}',
  'flow.notYou': 'Not you?',

  'continue.title': 'Signed in',
  'continue.heading': 'You are signed in',
  'continue.lead': 'Taking you back to {host}…',

  // The second step, at sign-in and for sudo.
  'challenge.remember': {
    one: "Don't ask again on this device for {count} day",
    other: "Don't ask again on this device for {count} days",
  },
  'challenge.rememberHint': 'Only on a device that is yours alone.',
  'challenge.webauthn.prompt':
    "Use your security key or passkey: insert or touch it, or follow your device's prompt.",
  'challenge.webauthn.submit': 'Use security key or passkey',
  'challenge.password.label': 'Your password',
  'challenge.confirm': 'Confirm',
  'challenge.recovery.label': 'Recovery code',
  'challenge.recovery.hint':
    'One of the ten codes you saved when you set up two-step verification, like abcde-fghij. Each works once.',
  'challenge.totp.label': 'Code from your authenticator app',
  'challenge.totp.hint': 'Open the app and type the 6-digit code it shows for Latchkey.',
  'challenge.verify': 'Verify',
  'challenge.other': 'Other ways to verify',
  'challenge.other.totp': 'Use a code from your authenticator app',
  'challenge.other.webauthn': 'Use your security key or passkey',
  'challenge.other.recovery': 'Use a recovery code',
  'totp.qrLabel': 'QR code for your authenticator app',

  'newPassword.title': 'Choose your password',
  'newPassword.lead':
    'You signed in with a one-time password. Choose your own now; the one-time password stops working.',
  'newPassword.label': 'New password',
  'newPassword.hint': {
    one: 'At least {count} character. A few unrelated words make a strong password that is easy to type.',
    other: 'At least {count} characters. A few unrelated words make a strong password that is easy to type.',
  },
  'newPassword.confirm': 'Type it again',
  'newPassword.save': 'Save password',

  'verify.title': 'Two-step verification',
  'verify.lead': 'Your account is protected with a second step. Prove it is you.',

  'register.title': 'Set up two-step verification',
  'register.lead':
    'Your organization asks for a second step when you sign in. Set it up now; it takes a minute.',
  'register.webauthn.heading': 'Security key or passkey',
  'register.webauthn.name.label': 'Name this key',
  'register.webauthn.name.default': 'Security key',
  'register.webauthn.name.hint':
    'So you can tell your keys apart later, for example "Blue key" or "Laptop passkey".',
  'register.webauthn.submit': 'Register security key or passkey',
  'register.useTotp': 'Use an authenticator app instead',
  'register.totp.heading': 'Authenticator app',
  'register.totp.install':
    'Install an authenticator app on your phone if you have none (for example Microsoft Authenticator, Google Authenticator, 2FAS or Aegis).',
  'register.totp.scan': 'In the app, add an account and scan this QR code.',
  'register.totp.manual': "Can't scan it? Type this key instead",
  'register.totp.account': 'Account: {account}, time-based.',
  'register.totp.code': 'Type the 6-digit code the app shows',
  'register.totp.submit': 'Verify and continue',
  'register.useWebauthn': 'Use a security key or passkey instead',

  'recovery.title': 'Save your recovery codes',
  'recovery.lead':
    'If you lose your phone or security key, each of these codes lets you sign in once. Keep them somewhere safe, away from your devices: print them, or store them in a password manager.',
  'recovery.label': 'Your recovery codes',
  'recovery.copy': 'Copy codes to clipboard',
  'recovery.once': 'You will not see these codes again. You can make new ones in your account at any time.',
  'recovery.saved': "I've saved them, continue",

  'firstApp.title': 'Your first app password',
  'firstApp.heading': 'Two-step verification is on',
  'firstApp.lead':
    'From now on, apps that cannot ask for a second step — mail apps, calendars, anything that only asks for a password — need an app password instead of your account password.',
  'firstApp.already': 'Your first app password was already shown. You can create more in your account.',
  'firstApp.create': 'Create your first app password',
  'firstApp.label': 'Name the device you will use it on',
  'firstApp.hint': 'One app password per device, not per app: for example "Phone" or "Work laptop".',
  'firstApp.next': 'Next',
  'firstApp.skip': 'Skip for now',

  'appPassword.title': 'Your app password',
  'appPassword.heading': 'App password for {label}',
  'appPassword.lead':
    'Type or paste it into the app on that device where it asks for your password. Spaces do not matter.',
  'appPassword.label': 'Your new app password',
  'appPassword.once':
    'This is the only time you will see it. You do not need to remember it: if you need one again, create a new one.',

  // Refusals the core names by code, as the sign-in pages show them (errors.ts in i18n maps the codes).
  'error.flowExpired': 'This sign-in has expired or was already finished. Please sign in again.',
  'error.flowStep': 'This step was already completed. Carry on from where you are now.',
  'error.codeInvalid': 'That code is not right, or it was already used. Try the next code.',
  'error.recoveryCodeInvalid': 'That recovery code is not right, or it was already used.',
  'error.securityKeyFailed': 'Your security key or passkey could not be verified. Try again.',
  'error.methodNameInvalid': 'Method names are 1–64 printable characters.',
  'error.labelInvalid': 'App password names are 1–64 printable characters.',
  'error.appPasswordLimit':
    'You have reached the maximum number of app passwords. Delete one you no longer use, then try again.',
  'error.passwordTooShort': 'Passwords must be at least 8 characters long.',
  'error.secretTooLong': 'Secrets are at most 1024 bytes long.',
  'error.secretInvalid':
    'The secret contains characters that are not allowed (line breaks or control characters).',
  'error.passwordWrong': 'Your current password is not right.',
  'error.passwordsDiffer': 'The two new passwords are not the same.',
  'error.passwordUnchanged': 'Choose a password different from your current one.',

  // ── Account pages (src/http/pages/account/*) and sign-in events in plain words ──
  // ── end account ──

  // ── Administration, people: admin/index, users, user, import, shared, forms ──
  // ── end admin-people ──

  // ── Administration, the rest: settings, sign-ins, audit, tokens, clients, radius, overview, charts ──
  // ── end admin-rest ──

  // ── Device approval, apps with access, consent, the page shell's remaining words ──
  // ── end misc ──
} as const satisfies Record<string, Message>;
