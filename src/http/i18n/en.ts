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
  'events.door.browser': 'Web browser',
  'events.door.imap': 'Mail (IMAP)',
  'events.door.pop3': 'Mail (POP)',
  'events.door.smtp': 'Sending mail (SMTP)',
  'events.door.ldap': 'Directory (LDAP)',
  'events.door.http': 'Web app (HTTP)',
  'events.door.dav': 'Calendar and contacts (DAV)',
  'events.door.activesync': 'Exchange ActiveSync',
  'events.door.radius': 'VPN or Wi-Fi (RADIUS)',
  'events.door.oidc': 'App sign-in (OpenID Connect)',
  'events.method.totp': 'authenticator app',
  'events.method.webauthn': 'security key or passkey',
  'events.method.recoveryCode': 'recovery code',
  'events.method.rememberedDevice': 'remembered device',
  'events.method.passwordOnly': 'password only',
  'events.method.none': 'none',
  'events.appPassword.named': 'app password “{label}”',
  'events.appPassword.unnamed': 'an app password',
  'events.someApp': 'An app',
  'events.someApp.lower': 'an app',
  'events.oidc.accepted': 'Signed in to {app} (OpenID Connect).',
  'events.oidc.cancelled.self':
    '{app} (OpenID Connect) asked to sign you in; you chose Cancel, so it got nothing.',
  'events.oidc.cancelled.staff':
    '{app} (OpenID Connect) asked to sign them in; they chose Cancel, so it got nothing.',
  'events.oidc.refused': '{app} (OpenID Connect): the sign-in was refused.',
  'events.accepted.web': 'Signed in on the web (second step: {method}).',
  'events.accepted.appPassword': '{door}: an app signed in with {appPassword}.',
  'events.accepted.token':
    '{door}: a mail app signed in with a token from {app} (OpenID Connect), no password.',
  'events.accepted.password.self': '{door}: an app signed in with your account password.',
  'events.accepted.password.staff': '{door}: an app signed in with the account password.',
  'events.refused.appPasswordRequired.self':
    '{door}: an app used your account password; it needs an app password. Create one for that device and type it into the app instead.',
  'events.refused.appPasswordRequired.staff':
    '{door}: an app used the account password, which two-step verification no longer allows there. They need an app password for that device.',
  'events.refused.appPasswordInBrowser.self':
    'An app password was typed into the sign-in page. App passwords only work in apps; sign in on the web with your account password.',
  'events.refused.appPasswordInBrowser.staff':
    'An app password was typed into the web sign-in page, where it never works.',
  'events.refused.appPasswordsOff':
    '{door}: {appPassword} was refused because the organization has turned app passwords off.',
  'events.refused.appPasswordExpired.self':
    '{door}: {appPassword} has expired. Create a new one for that device.',
  'events.refused.appPasswordExpired.staff': '{door}: {appPassword} has expired.',
  'events.refused.outOfScope': '{door}: {appPassword} is not allowed for this kind of app.',
  'events.refused.lockedOut':
    '{door}: refused after too many wrong attempts. It unlocks by itself in a few minutes.',
  'events.refused.throttled':
    '{door}: refused because this address sent too many sign-in attempts at once. It was not checked.',
  'events.refused.disabled.self': '{door}: refused because your account is disabled.',
  'events.refused.disabled.staff': '{door}: refused because the account is disabled.',
  'events.refused.oneTimePassword.self':
    '{door}: an app used your one-time password. Sign in on the web first to choose your own password.',
  'events.refused.oneTimePassword.staff':
    '{door}: an app used the one-time password. They must sign in on the web first and choose their own.',
  'events.refused.unknownUser': '{door}: no account has this name.',
  'events.refused.methodUnsupported':
    '{door}: the device asked with CHAP, MS-CHAP or EAP, which Latchkey cannot check. Set it (or the VPN or Wi-Fi server) to PAP; the password is still protected by the RADIUS secret.',
  'events.refused.confirmPasswordWrong': 'Web: a wrong current password was typed to confirm a change.',
  'events.refused.secondStepWrong': 'Web sign-in: the second step (code or security key) was wrong.',
  'events.refused.webPasswordWrong': 'Web sign-in: wrong password.',
  'events.refused.passwordWrong': '{door}: wrong password or app password.',
  'events.agent.unknown': 'Unknown browser',
  'events.agent.onOs': '{browser} on {os}',
  'events.repeats': { one: '{count} time', other: '{count} times' },
  'events.repeatsSince': { one: '{count} time since {since}', other: '{count} times since {since}' },
  // ── end account ──

  // ── Administration, people: admin/index, users, user, import, shared, forms ──
  // ── end admin-people ──

  // ── Administration, the rest: settings, sign-ins, audit, tokens, clients, radius, overview, charts ──
  // Charts (charts.ts): a bar's title, filled with the page's own words.
  'charts.segment': '{column}: {series}, {amount}',
  'charts.bar': '{label}: {amount}',
  'charts.share': '{label}: {percent} ({number})',

  // The overview (admin/overview.ts).
  'admin.overview.title': 'Overview',
  'admin.overview.lead': {
    one: 'The last day, from {since} (00:00 UTC) until now. Hours and days are UTC.',
    other: 'The last {count} days, from {since} (00:00 UTC) until now. Hours and days are UTC.',
  },
  'admin.overview.stats': { one: 'The day in figures', other: 'The {count} days in figures' },
  'admin.overview.stat.accepted': 'Successful sign-ins',
  'admin.overview.stat.refused': 'Refused sign-ins',
  'admin.overview.stat.lockedOut': 'Locked out',
  'admin.overview.stat.attempts': { one: '{count} attempt refused', other: '{count} attempts refused' },
  'admin.overview.stat.appPasswords': 'App passwords',
  'admin.overview.stat.appPasswordsValue': '+{created} / −{deleted}',
  'admin.overview.stat.appPasswordsDetail': 'created / deleted',
  'admin.overview.stat.primary': 'Apps on account passwords',
  'admin.overview.stat.accounts': { one: '{count} account', other: '{count} accounts' },
  'admin.overview.range': '{from} to {to}, UTC',
  'admin.overview.desc': '{range}. {items}.',
  'admin.overview.descNone': '{range}. None.',
  'admin.overview.figure': '{label}: {number}',
  'admin.overview.none': 'None.',
  'admin.overview.colours': 'Colours',
  'admin.overview.accepted': 'Successful',
  'admin.overview.refused': 'Refused',
  'admin.overview.where': 'Where',
  'admin.overview.day': 'Day',
  'admin.overview.reason': 'Reason',
  'admin.overview.code': 'Code',
  'admin.overview.amount.accepted': { one: '{count} successful', other: '{count} successful' },
  'admin.overview.amount.refused': { one: '{count} refused', other: '{count} refused' },
  'admin.overview.amount.names': { one: '{count} name', other: '{count} names' },
  'admin.overview.amount.appPasswords': { one: '{count} app password', other: '{count} app passwords' },
  'admin.overview.signIns.title': 'Sign-ins per hour',
  'admin.overview.signIns.leadEmpty': 'On the web and from apps, by where they came in.',
  'admin.overview.signIns.lead':
    'On the web and from apps, by where they came in. Successful checks an app repeats are counted each time.',
  'admin.overview.signIns.empty': {
    one: 'No sign-ins in this {count} day.',
    other: 'No sign-ins in these {count} days.',
  },
  'admin.overview.signIns.legend': 'Colours: where the sign-ins came in',
  'admin.overview.signIns.acceptedChart': 'Successful sign-ins per hour, by door: {total} in all',
  'admin.overview.signIns.refusedChart': 'Refused sign-ins per hour, by door: {total} in all',
  'admin.overview.signIns.tables': 'Sign-ins by door and by day, as tables',
  'admin.overview.signIns.byDoor': { one: 'By door, {count} day', other: 'By door, {count} days' },
  'admin.overview.signIns.byDay': 'By day (UTC)',
  'admin.overview.reasons.title': 'Why sign-ins were refused',
  'admin.overview.reasons.lead':
    'The most frequent reasons first. Each one opens the matching refusals in the sign-in log.',
  'admin.overview.reasons.empty': {
    one: 'Nothing was refused in this {count} day.',
    other: 'Nothing was refused in these {count} days.',
  },
  'admin.overview.reasons.chart': 'Refused sign-ins by reason: {total} in all',
  'admin.overview.reasons.descItem': '{label} ({code}): {number}',
  'admin.overview.reasons.table': 'Reasons as a table',
  'admin.overview.reasons.caption': 'Refused sign-ins by reason',
  'admin.overview.lockouts.title': 'Lockouts',
  'admin.overview.lockouts.lead':
    'Accounts (and names no account has) refused because too many attempts failed, and how many attempts the locks turned away.',
  'admin.overview.lockouts.inLog': 'See them in the sign-in log.',
  'admin.overview.lockouts.empty': {
    one: 'No lockouts in this {count} day.',
    other: 'No lockouts in these {count} days.',
  },
  'admin.overview.lockouts.figures': '{names}, {attempts}',
  'admin.overview.lockouts.names': { one: '{count} name locked out', other: '{count} names locked out' },
  'admin.overview.lockouts.attempts': {
    one: '{count} attempt refused while locked',
    other: '{count} attempts refused while locked',
  },
  'admin.overview.lockouts.chart': 'Names locked out per day',
  'admin.overview.lockouts.series': 'locked out',
  'admin.overview.lockouts.table': 'Lockouts by day, as a table',
  'admin.overview.lockouts.caption': 'Lockouts by day (UTC)',
  'admin.overview.lockouts.namesHead': 'Names locked out',
  'admin.overview.lockouts.attemptsHead': 'Attempts refused while locked',
  'admin.overview.appPasswords.title': 'App passwords created and deleted',
  'admin.overview.appPasswords.lead':
    'Deleted counts every app password removed: by its owner, by the helpdesk, by a password change or because it went unused.',
  'admin.overview.appPasswords.empty': {
    one: 'No app password was created or deleted in this {count} day.',
    other: 'No app password was created or deleted in these {count} days.',
  },
  'admin.overview.appPasswords.figures': '{created} created, {deleted} deleted',
  'admin.overview.appPasswords.created': 'Created',
  'admin.overview.appPasswords.deleted': 'Deleted',
  'admin.overview.appPasswords.chart':
    'App passwords created and deleted per day: {created} created, {deleted} deleted',
  'admin.overview.appPasswords.descItem': '{day}: {created} created, {deleted} deleted',
  'admin.overview.appPasswords.table': 'App passwords by day, as a table',
  'admin.overview.appPasswords.caption': 'App passwords by day (UTC)',
  'admin.overview.primary.title': 'Apps still signing in with account passwords',
  'admin.overview.primary.lead':
    'Mail, calendar, directory (LDAP), VPN and other apps that cannot do two-step verification should use an app password, or OpenID Connect where the app can. These people still let an app use their account password.',
  'admin.overview.primary.empty': {
    one: 'No app signed in in this {count} day.',
    other: 'No app signed in in these {count} days.',
  },
  'admin.overview.primary.account': 'Account password',
  'admin.overview.primary.appPassword': 'App password',
  'admin.overview.primary.token': 'OpenID Connect token',
  'admin.overview.primary.sentence': {
    one: '{percent} of successful sign-ins from apps ({primary} of {total}) used an account password, by {count} account.',
    other:
      '{percent} of successful sign-ins from apps ({primary} of {total}) used an account password, by {count} accounts.',
  },
  'admin.overview.primary.chart':
    'Successful sign-ins from apps by what they signed in with: {percent} account passwords',
  'admin.overview.primary.descItem': '{label}: {number} ({percent})',
  'admin.overview.primary.captionTop': {
    one: 'The account that used its account password in an app last (of {total})',
    other: 'The {count} accounts that used their account password in an app last (of {total})',
  },
  'admin.overview.primary.caption': 'Accounts that used their account password in apps',
  'admin.overview.primary.user': 'User',
  'admin.overview.primary.signIns': 'Sign-ins with the account password',
  'admin.overview.primary.through': 'Through',
  'admin.overview.primary.last': 'Last',
  'admin.overview.primary.nobody': 'Nobody: every app signs in with an app password or a token.',
  'admin.overview.primary.note':
    "The latest first, not the most frequent. Each count opens that person's sign-ins in the log.",
  // ── end admin-rest ──

  // ── Device approval, apps with access, consent, the page shell's remaining words ──
  // ── end misc ──
} as const satisfies Record<string, Message>;
