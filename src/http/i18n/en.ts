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
  'account.cancel': 'Cancel',
  'account.close': 'Close',
  'account.yes': 'Yes',
  'account.no': 'No',
  'account.backToSecurity': 'Back to security info',
  'account.kind.totp': 'Authenticator app',
  'account.kind.webauthn': 'Security key or passkey',
  'account.done.methodAdded': 'Your new verification method is ready.',
  'account.done.methodRemoved': 'The verification method was removed.',
  'account.done.defaultChanged': 'Your default verification method was changed.',
  'account.done.devicesForgotten': 'Remembered devices will ask for the second step again.',
  'account.done.passwordChanged': 'Your password was changed. Other browsers were signed out.',
  'account.done.languageChanged': 'Your language was saved. These pages now use it on every device.',

  'account.security.title': 'Security info',
  'account.security.lead': 'The ways you prove it is you when you sign in.',
  'account.security.twoStep.heading': 'Two-step verification',
  'account.security.twoStep.status': 'Status',
  'account.security.twoStep.disabled': 'Off. Your administrator turns it on for your account.',
  'account.security.twoStep.enabled': 'On: set up your methods at your next sign-in.',
  'account.security.twoStep.enforced': 'On. Apps that cannot ask for a second step need app passwords.',
  'account.security.methods.heading': 'Verification methods',
  'account.security.methods.caption': 'Your verification methods',
  'account.security.methods.name': 'Name',
  'account.security.methods.type': 'Type',
  'account.security.methods.added': 'Added',
  'account.security.methods.lastUsed': 'Last used',
  'account.security.methods.empty': 'You have no verification method yet.',
  'account.security.methods.default': 'Default',
  'account.security.methods.makeDefault': 'Make default',
  'account.security.methods.remove': 'Remove',
  'account.security.methods.addTotp': 'Add authenticator app',
  'account.security.methods.addWebauthn': 'Add security key or passkey',
  'account.security.codes.heading': 'Recovery codes',
  'account.security.codes.none':
    'You have no recovery codes. Each code signs you in once when you do not have your phone or key.',
  'account.security.codes.left': {
    one: '{unused} of {count} code left. Each code signs you in once when you do not have your phone or key.',
    other:
      '{unused} of {count} codes left. Each code signs you in once when you do not have your phone or key.',
  },
  'account.security.codes.get': 'Get recovery codes',
  'account.security.codes.getNew': 'Get new codes',
  'account.security.devices.heading': 'Remembered devices',
  'account.security.devices.none': 'No device skips the second step.',
  'account.security.devices.some': {
    one: '{count} device can skip the second step at sign-in.',
    other: '{count} devices can skip the second step at sign-in.',
  },
  'account.security.devices.forget': 'Forget all remembered devices',
  'account.security.sessions.heading': 'Where you are signed in',
  'account.security.sessions.caption': 'Browser sessions',
  'account.security.sessions.browser': 'Browser',
  'account.security.sessions.address': 'Address',
  'account.security.sessions.signedIn': 'Signed in',
  'account.security.sessions.lastActive': 'Last active',
  'account.security.sessions.thisBrowser': 'This browser',
  'account.security.sessions.empty': 'No sessions.',
  'account.security.sessions.signOutEverywhere': 'Sign out everywhere',
  'account.security.language.heading': 'Language',
  'account.security.language.label': 'Language of these pages',
  'account.security.language.hint':
    'Saved on your account, so it follows you to every device you sign in on.',
  'account.security.language.browser': 'The language of my browser',
  'account.security.language.save': 'Save language',
  'account.language.refused.title': 'That language is not available',
  'account.language.refused.message': 'Choose one of the languages in the list. Nothing was changed.',

  'account.recoveryCodes.title': 'Your new recovery codes',
  'account.recoveryCodes.lead':
    'Your old codes no longer work. Keep these somewhere safe; each one signs you in once.',
  'account.recoveryCodes.label': 'Recovery codes',
  'account.recoveryCodes.once': 'This is the only time you will see these codes.',

  'account.verify.title': 'Confirm it is you',
  'account.verify.leadPassword': 'Type your password to make this change.',
  'account.verify.lead': 'This change needs a fresh second step. You will not be asked again for 10 minutes.',

  'account.methods.new.totpTitle': 'Add an authenticator app',
  'account.methods.new.webauthnTitle': 'Add a security key or passkey',
  'account.methods.new.keyNameHint': 'For example "Blue key" or "Laptop passkey".',
  'account.methods.new.scan': 'In your authenticator app, add an account and scan this QR code.',
  'account.methods.new.typeCode': 'Type the code the app shows.',
  'account.methods.new.name': 'Name',
  'account.methods.new.nameHint': 'For example the phone it is on.',
  'account.methods.new.code': 'Code from the app',
  'account.methods.new.add': 'Add',
  'account.methods.remove.title': 'Remove verification method',
  'account.methods.remove.question': 'Remove “{name}”?',
  'account.methods.remove.lead': 'You will no longer be able to use it to sign in.',
  'account.methods.remove.yes': 'Yes, remove it',
  'account.methods.remove.no': 'No, keep it',
  'account.methods.stays.title': 'Cannot remove this method',
  'account.methods.stays.heading': 'This method stays',

  'account.appPasswords.title': 'App passwords',
  'account.appPasswords.twoStepOff':
    'App passwords are for accounts with two-step verification. Yours is off, so your apps use your account password.',
  'account.appPasswords.notAllowed': 'Your organization does not allow app passwords.',
  'account.appPasswords.lead':
    'Apps that cannot ask for a second step — mail, calendars, contacts, anything that only asks for a password — sign in with an app password instead of your account password.',
  'account.appPasswords.perDevice':
    'Create one app password per device, not per app: one for your phone, one for your laptop. When a device is lost or gone, delete its app password.',
  'account.appPasswords.atLimit': {
    one: 'You have {count} app password, the most you can have. Delete it before you create a new one.',
    other:
      'You have {count} app passwords, the most you can have. Delete one you no longer use before you create a new one.',
  },
  'account.appPasswords.create': 'Create',
  'account.appPasswords.caption': 'Your app passwords',
  'account.appPasswords.name': 'Name',
  'account.appPasswords.created': 'Created',
  'account.appPasswords.lastUsed': 'Last used',
  'account.appPasswords.lastUsedFrom': 'Last used from',
  'account.appPasswords.expires': 'Expires {when}',
  'account.appPasswords.onlyFor': 'Only for {doors}',
  'account.appPasswords.delete': 'Delete',
  'account.appPasswords.empty': 'You have no app passwords.',
  'account.appPasswords.used': { one: '{used} of {count} used.', other: '{used} of {count} used.' },
  'account.appPasswords.device.heading': 'Connect a device with a code',
  'account.appPasswords.device.lead':
    'Does an app or device show a code and ask you to approve it on the web? Type the code on the device page; the app gets its own app password, and you type nothing into it.',
  'account.appPasswords.device.link': 'Connect a device',
  'account.appPasswords.back': 'Back to app passwords',
  'account.appPasswords.limit.create': {
    one: 'You have reached the maximum of {count} app password. Delete it, then create a new one.',
    other:
      'You have reached the maximum of {count} app passwords. Delete one you no longer use, then create a new one.',
  },
  'account.appPasswords.limit.device': {
    one: 'You have reached the maximum of {count} app password. Delete it, then set up the device.',
    other:
      'You have reached the maximum of {count} app passwords. Delete one you no longer use, then set up the device.',
  },
  'account.appPasswords.new.title': 'Create an app password',
  'account.appPasswords.new.hint':
    'The device you will use it on, for example "Phone" or "Work laptop". One app password per device, not per app.',
  'account.appPasswords.new.more': 'More options',
  'account.appPasswords.new.expires': 'Expires',
  'account.appPasswords.new.inDays': { one: 'In {count} day', other: 'In {count} days' },
  'account.appPasswords.new.inAYear': 'In a year',
  'account.appPasswords.new.scopes': 'Only for these kinds of apps',
  'account.appPasswords.new.scopesHint': 'Leave all unticked to allow every kind.',
  'account.appPasswords.created.title': 'Your new app password',
  'account.appPasswords.created.heading': 'App password for {label}',
  'account.appPasswords.created.lead':
    'Type or paste it into the app on that device, where it asks for your password. Spaces do not matter.',
  'account.appPasswords.created.once':
    'This is the only time you will see it. You do not need to remember it: if you ever need one again, create a new one.',
  'account.appPasswords.delete.title': 'Delete app password',
  'account.appPasswords.delete.question': 'Delete “{label}”?',
  'account.appPasswords.delete.lead':
    'Apps using it stop signing in at once. You can create a new one later.',
  'account.appPasswords.deleted.title': 'App password deleted',
  'account.appPasswords.deleted.lead':
    'It no longer works anywhere. If a device still needs access, create a new app password for it.',
  'account.appPasswords.notFound.title': 'App password not found',
  'account.appPasswords.notFound.message': 'It may have been deleted already. Nothing was changed.',

  'account.services.mail': 'mail',
  'account.services.calendars': 'calendars',
  'account.services.contacts': 'contacts',
  'account.apple.title': 'Set up an iPhone, iPad or Mac',
  'account.apple.offer':
    'Download a profile that sets up {services} on an Apple device, with a new app password inside: nothing to type or paste.',
  'account.apple.notOffered':
    'Your organization has not set up mail, calendar or contacts servers for devices yet.',
  'account.apple.lead':
    'Download a configuration profile that sets up {services} on the device, then open it there to install it (on an iPhone or iPad: Settings → Profile Downloaded).',
  'account.apple.warning':
    'The file holds a new app password for this device. It is offered once: download it on the device itself, or send it there privately, and delete the file once the profile is installed. Anyone who has the file can use these accounts as you until you delete the app password.',
  'account.apple.device': 'Device name',
  'account.apple.deviceHint':
    'For example "iPhone" or "Work Mac". The app password gets this name; delete it to turn the device’s accounts off.',
  'account.apple.download': 'Download profile',
  'account.apple.used.title': 'Profile already downloaded',
  'account.apple.used.heading': 'This profile was already downloaded',
  'account.apple.used.message':
    'Each profile is offered once, and this one has been. If the download did not reach the device, delete its app password and set the device up again.',
  'account.apple.expired.heading': 'This form has expired',
  'account.apple.expired.message': 'Nothing was created. Set the device up again.',
  'account.apple.again': 'Set up a device',

  'account.password.title': 'Change password',
  'account.password.lead':
    'Your account password is for signing in on the web. Apps that cannot ask for a second step use app passwords.',
  'account.password.current': 'Current password',
  'account.password.hint': { one: 'At least {count} character.', other: 'At least {count} characters.' },
  'account.password.confirm': 'Type the new password again',
  'account.password.revokeForced':
    'Your app passwords will be deleted too: your organization requires it. Create new ones for your devices afterwards.',
  'account.password.revoke': 'Also delete my app passwords',
  'account.password.revokeHint':
    'Recommended if someone else may know your password: every app will need a new app password.',
  'account.password.submit': 'Change password',

  'account.signIns.title': 'Recent sign-ins',
  'account.signIns.lead': {
    one: 'Your last sign-in, on the web or from an app. Something you do not recognize? Change your password and delete your app passwords.',
    other:
      'Your last {count} sign-ins, on the web and from apps. Something you do not recognize? Change your password and delete your app passwords.',
  },
  'account.signIns.caption': 'Your recent sign-ins',
  'account.signIns.when': 'When',
  'account.signIns.what': 'What happened',
  'account.signIns.from': 'From',
  'account.signIns.result': 'Result',
  'account.signIns.accepted': 'Success',
  'account.signIns.refused': 'Refused',
  'account.signIns.empty': 'No sign-ins yet.',

  'account.help.title': 'Help',
  'account.help.appPasswords.heading': "If your app passwords aren't working",
  'account.help.appPasswords.retype.title': 'Type it again.',
  'account.help.appPasswords.retype.body':
    'Copy it exactly; spaces and capital letters do not matter. Make sure you typed it where the app asks for the password, with your usual username.',
  'account.help.appPasswords.new.title': 'Create a new one.',
  'account.help.appPasswords.new.body':
    'App passwords are shown only once, so if you no longer have it, delete the old one in {appPasswords} and create a new one for that device.',
  'account.help.appPasswords.signIns.title': 'Check your recent sign-ins.',
  'account.help.appPasswords.signIns.body':
    '{signIns} says why an app was refused, for example when it used your account password instead of an app password.',
  'account.help.appPasswords.helpdesk.title': 'Ask your helpdesk.',
  'account.help.appPasswords.helpdesk.body':
    'They can delete all your app passwords so that you can start again with new ones.',
  'account.help.what.heading': 'What are app passwords for?',
  'account.help.what.body':
    'When two-step verification is on, apps that only know how to ask for a password — mail apps using IMAP or SMTP, calendar and contact apps, older Exchange clients — cannot show you a second step. An app password is a long password that Latchkey makes for one device. It only works in apps, never on the web sign-in page, and you can delete it any time without changing your account password.',
  'account.help.lost.heading': 'If you lost your phone or security key',
  'account.help.lost.body':
    'Sign in with one of your recovery codes, then remove the lost method in {security} and add a new one. No recovery codes left? Your helpdesk can ask you to set up two-step verification again.',
  // ── end account ──

  // ── Administration, people: admin/index, users, user, import, shared, forms ──
  // Shared by the administration pages (admin/shared.ts): roles, states, reasons, audit actions, settings.
  'admin.common.role.user': 'User',
  'admin.common.role.helpdesk': 'Helpdesk',
  'admin.common.role.admin': 'Administrator',
  'admin.common.state.disabled': 'Off',
  'admin.common.state.enabled': 'On, not set up yet',
  'admin.common.state.enforced': 'On',
  'admin.common.stateOption.disabled': 'Off',
  'admin.common.stateOption.enabled': 'On: set up at the next web sign-in',
  'admin.common.stateOption.enforced': 'On and required (apps need app passwords)',
  'admin.common.status.active': 'Active',
  'admin.common.status.disabled': 'Disabled',
  'admin.common.reason.invalidCredentials': 'Wrong password',
  'admin.common.reason.unknownUser': 'Unknown user',
  'admin.common.reason.userDisabled': 'Account disabled',
  'admin.common.reason.appPasswordRequired': 'App password required',
  'admin.common.reason.appPasswordsDisabled': 'App passwords turned off',
  'admin.common.reason.appPasswordExpired': 'App password expired',
  'admin.common.reason.outOfScope': 'App password not allowed here',
  'admin.common.reason.lockedOut': 'Locked out',
  'admin.common.reason.passwordChangeRequired': 'One-time password used in an app',
  'admin.common.reason.appPasswordInBrowser': 'App password typed on the web',
  'admin.common.reason.twoStepFailed': 'Second step failed',
  'admin.common.reason.throttled': 'Too many attempts from this address',
  'admin.common.reason.consentRefused': 'The person chose Cancel',
  'admin.common.reason.methodUnsupported': 'Sign-in method not supported (CHAP, MS-CHAP, EAP)',
  'admin.common.credential.primary': 'Account password',
  'admin.common.credential.password': 'Password only',
  'admin.common.credential.totp': 'Authenticator app',
  'admin.common.credential.webauthn': 'Security key or passkey',
  'admin.common.credential.recoveryCode': 'Recovery code',
  'admin.common.credential.rememberedDevice': 'Remembered device',
  'admin.common.credential.oidcToken': 'OpenID Connect token',
  'admin.common.counter.primaryFamiliar': 'Account password, from known places',
  'admin.common.counter.primaryUnfamiliar': 'Account password, from unknown places',
  'admin.common.counter.appFamiliar': 'App passwords, from known places',
  'admin.common.counter.appUnfamiliar': 'App passwords, from unknown places',
  'admin.common.counter.twoStepFamiliar': 'Second step on the web, from known places',
  'admin.common.counter.twoStepUnfamiliar': 'Second step on the web, from unknown places',
  'admin.common.audit.adminInitialized': 'Set up the first administrator',
  'admin.common.audit.userCreated': 'Created the user',
  'admin.common.audit.userUpdated': 'Changed the profile',
  'admin.common.audit.userDisabled': 'Disabled the account',
  'admin.common.audit.userEnabled': 'Enabled the account',
  'admin.common.audit.userDeleted': 'Deleted the user',
  'admin.common.audit.userPasswordSet': 'Set the password',
  'admin.common.audit.userRoleChanged': 'Changed the role',
  'admin.common.audit.userUnlocked': 'Unlocked the account',
  'admin.common.audit.twoStepStateChanged': 'Changed two-step verification',
  'admin.common.audit.twoStepMethodAdded': 'Added a verification method',
  'admin.common.audit.twoStepMethodRemoved': 'Removed a verification method',
  'admin.common.audit.twoStepDefaultChanged': 'Changed the default method',
  'admin.common.audit.twoStepRecoveryCodesGenerated': 'Made new recovery codes',
  'admin.common.audit.twoStepReregistrationRequired': 'Required two-step set-up again',
  'admin.common.audit.appPasswordCreated': 'Created an app password',
  'admin.common.audit.appPasswordDeleted': 'Deleted an app password',
  'admin.common.audit.appPasswordDeletedAll': 'Deleted all app passwords',
  'admin.common.audit.appPasswordAutoRevoked': 'Deleted an unused app password',
  'admin.common.audit.devicesRevoked': 'Revoked remembered devices',
  'admin.common.audit.sessionsRevoked': 'Signed out everywhere',
  'admin.common.audit.settingsChanged': 'Changed a setting',
  'admin.common.audit.serviceCreated': 'Created a service account',
  'admin.common.audit.serviceDeleted': 'Deleted a service account',
  'admin.common.audit.radiusClientCreated': 'Registered a RADIUS client (VPN or Wi-Fi)',
  'admin.common.audit.radiusClientDeleted': 'Deleted a RADIUS client',
  'admin.common.audit.radiusReplyCreated': 'Added a RADIUS reply rule',
  'admin.common.audit.radiusReplyDeleted': 'Deleted a RADIUS reply rule',
  'admin.common.audit.tokenCreated': 'Created an API token',
  'admin.common.audit.tokenRevoked': 'Revoked an API token',
  'admin.common.audit.oidcClientCreated': 'Registered an app (OpenID Connect)',
  'admin.common.audit.oidcClientDeleted': 'Deleted an app (OpenID Connect)',
  'admin.common.audit.oidcClientSecretRotated': 'Gave an app a new secret',
  'admin.common.audit.oidcKeysRotated': 'Rotated the signing keys',
  'admin.common.audit.oidcAccessRevoked': 'Removed an app’s access',
  'admin.common.setting.allowAppPasswords':
    'Allow users to create app passwords to sign in to non-browser apps',
  'admin.common.setting.maxAppPasswordsPerUser': 'Most app passwords per user',
  'admin.common.setting.revokeAppPasswordsOnPasswordChange':
    'Delete app passwords when a password is changed or reset',
  'admin.common.setting.autoRevokeUnusedAppPasswordsDays': 'Delete app passwords unused for this many days',
  'admin.common.setting.requireAppPasswordsForNonBrowser': 'Require app passwords for every non-browser app',
  'admin.common.setting.requireTwoStepForEveryone': 'Require two-step verification for everyone',
  'admin.common.setting.rememberDeviceDays': 'Days a browser may skip the second step',
  'admin.common.setting.lockoutThreshold': 'Failed attempts before a lockout',
  'admin.common.setting.lockoutSeconds': 'First lockout, in seconds',
  'admin.common.setting.sessionLifetimeMinutes': 'Browser session length, in minutes',
  'admin.common.setting.signInLogRetentionDays': 'Keep sign-in events for this many days',
  'admin.common.setting.organizationName': 'Organization name',
  'admin.common.setting.mailDomains': 'Mail domains',
  'admin.common.setting.mailLoginName': 'Apps sign in with',
  'admin.common.setting.imapHost': 'IMAP server',
  'admin.common.setting.imapPort': 'IMAP port',
  'admin.common.setting.imapSecurity': 'IMAP security',
  'admin.common.setting.smtpHost': 'SMTP server',
  'admin.common.setting.smtpPort': 'SMTP port',
  'admin.common.setting.smtpSecurity': 'SMTP security',
  'admin.common.setting.calDavUrl': 'CalDAV address',
  'admin.common.setting.cardDavUrl': 'CardDAV address',
  'admin.common.enum.address': 'the e-mail address',
  'admin.common.enum.username': 'the username',
  'admin.common.enum.ssl': 'SSL/TLS (from the start)',
  'admin.common.enum.starttls': 'STARTTLS',
  'admin.common.settingGroup.appPasswords': 'App passwords',
  'admin.common.settingGroup.twoStep': 'Two-step verification',
  'admin.common.settingGroup.lockout': 'Lockout',
  'admin.common.settingGroup.sessions': 'Sessions and logs',
  'admin.common.settingGroup.mail': 'Mail, calendars and contacts on devices',
  'admin.common.cancel': 'Cancel',
  'admin.common.close': 'Close',
  'admin.common.back': 'Back',
  'admin.common.yes': 'Yes',
  'admin.common.no': 'No',
  'admin.common.none': 'none',
  'admin.common.nothingChanged': 'Nothing was changed.',
  'admin.common.oneTimePasswordFor': 'One-time password for {username}',
  'admin.common.head.username': 'Username',
  'admin.common.head.displayName': 'Display name',
  'admin.common.head.email': 'Email',
  'admin.common.head.role': 'Role',
  'admin.common.head.twoStep': 'Two-step',
  'admin.common.head.status': 'Status',
  'admin.common.twoStep': 'Two-step verification',
  // Refusals from the core on the administration pages (admin/index.ts).
  'admin.error.title.badRequest': 'Check what you entered',
  'admin.error.title.forbidden': 'You are not allowed to do this',
  'admin.error.title.notFound': 'Not found',
  'admin.error.title.conflict': 'This cannot be done now',
  'admin.error.title.gone': 'This page has expired',
  'admin.error.title.other': 'Something is not right',
  'admin.error.forbidden': 'You are not allowed to do this.',
  'admin.error.helpdeskLimits':
    'The helpdesk can look up users and help ordinary users with their sign-in; settings, roles, tokens and changes to staff accounts are for administrators.',
  'admin.error.backToUsers': 'Back to users',
  'admin.error.staffOnly.title': 'This page is for administrators',
  'admin.error.staffOnly.message': 'The administration pages are for administrators and the helpdesk.',
  'admin.error.noPage.heading': 'There is no such page',
  'admin.error.noPage.lead': 'Check the address, or start again from the list of users.',
  // The list of users and creating one (admin/users.ts).
  'admin.users.title': 'Users',
  'admin.users.lead': {
    one: '{count} account in Latchkey. Open a user to see their sign-ins and app passwords, or to help them.',
    other:
      '{count} accounts in Latchkey. Open a user to see their sign-ins and app passwords, or to help them.',
  },
  'admin.users.create': 'Create user',
  'admin.users.import': 'Import users from CSV',
  'admin.users.search.form': 'Search users',
  'admin.users.search.label': 'Search',
  'admin.users.search.hint': 'The start of a username or an email address.',
  'admin.users.search.submit': 'Search',
  'admin.users.search.everyone': 'Show everyone',
  'admin.users.caption.matching': 'Users matching “{search}”',
  'admin.users.caption.all': 'Users, by username',
  'admin.users.requiredForEveryone': '(required for everyone)',
  'admin.users.empty.matching': 'No username or email starts with “{search}”.',
  'admin.users.empty.all': 'There are no users yet.',
  'admin.users.pager': 'Pages of users',
  'admin.users.pager.first': 'First page',
  'admin.users.pager.next': 'Next page',
  'admin.users.new.lead':
    'Latchkey makes a one-time password for the new user. You see it once, on the next page, and give it to them; they choose their own password at their first web sign-in.',
  'admin.users.new.username.hint':
    'What they type to sign in, and their mail login: letters, digits, dots, dashes and underscores.',
  'admin.users.new.email.label': 'Email address (optional)',
  'admin.users.new.displayName.label': 'Display name (optional)',
  'admin.users.new.displayName.hint': 'Their name as people read it, for example "Alice Martin".',
  'admin.users.new.role.hint':
    'Users manage their own account. The helpdesk helps users; administrators can change everything.',
  'admin.users.new.error.usernameInvalid': 'Usernames are 1–64 characters from a–z, 0–9, ".", "_" and "-".',
  'admin.users.new.error.userExists': 'A user with this name already exists.',
  'admin.users.new.error.emailInvalid': 'The email address is not valid.',
  'admin.users.new.error.emailTaken': 'Another user already has this email address.',
  'admin.users.new.error.displayNameInvalid': 'Display names are 1–128 printable characters.',
  'admin.users.created.title': 'User created',
  'admin.users.created.heading': '{name} can now sign in',
  'admin.users.created.lead':
    'Give {name} their username, {username}, and this one-time password — in person or by phone, not by email. At their first web sign-in they choose their own password, and this one stops working.',
  'admin.users.created.once':
    'This is the only time it is shown. If it gets lost, reset the password from the user’s page to get a new one.',
  'admin.users.created.another': 'Create another user',

  // Importing users from CSV (admin/import.ts).
  'admin.import.title': 'Import users',
  'admin.import.lead':
    'Create or update many users at once from a CSV file. Every line is checked first: if one is wrong, nothing is imported. Importing the same file again changes nothing.',
  'admin.import.failed.title': 'Nothing was imported',
  'admin.import.failed.body': {
    one: '{count} line needs fixing. The file is imported whole or not at all.',
    other: '{count} lines need fixing. The file is imported whole or not at all.',
  },
  'admin.import.failed.caption': 'Lines to fix',
  'admin.import.failed.line': 'Line',
  'admin.import.failed.problem': 'Problem',
  'admin.import.done.title': 'Import finished',
  'admin.import.done.created': { one: '{count} user created', other: '{count} users created' },
  'admin.import.done.updated': { one: '{count} user updated', other: '{count} users updated' },
  'admin.import.done.unchanged': { one: '{count} user unchanged', other: '{count} users unchanged' },
  'admin.import.done.newUsers':
    'New users have no password yet: reset it from their page to give them a one-time password.',
  'admin.import.csv.label': 'CSV',
  'admin.import.csv.hint':
    'Paste the file. The first line names the columns, from {columns}; {username} is required. Roles are user, helpdesk or admin; two-step is disabled, enabled or enforced. An empty cell leaves that value as it is. Up to 2 MB here; larger files with {command}.',
  'admin.import.submit': 'Import',
  'admin.import.error.empty': 'Paste the CSV text first.',
  'admin.import.error.invalid': '{message} Nothing was imported.',
  // One user's page and the support actions on it (admin/user.ts).
  'admin.user.done.disabled': "{name}'s account is disabled. They are signed out and every app is refused.",
  'admin.user.done.enabled': "{name}'s account is enabled again.",
  'admin.user.done.twoStep': 'Two-step verification for {name} was changed.',
  'admin.user.done.twoStepOff': {
    '=0': 'Two-step verification for {name} is off.',
    one: 'Two-step verification for {name} is off. {count} app password deleted.',
    other: 'Two-step verification for {name} is off. {count} app passwords deleted.',
  },
  'admin.user.done.role': "{name}'s role was changed.",
  'admin.user.done.reregister': {
    one: '{name} will set up two-step verification again at the next web sign-in. {count} method removed.',
    other: '{name} will set up two-step verification again at the next web sign-in. {count} methods removed.',
  },
  'admin.user.done.devicesForgotten': {
    one: '{count} remembered device of {name} will ask for the second step again.',
    other: '{count} remembered devices of {name} will ask for the second step again.',
  },
  'admin.user.done.appPasswordsDeleted': {
    one: '{count} app password of {name} deleted. It stopped working at once; {name} can create new ones.',
    other:
      '{count} app passwords of {name} deleted. They stopped working at once; {name} can create new ones.',
  },
  'admin.user.done.unlocked': {
    '=0': '{name} was not locked out.',
    one: "{name}'s account is unlocked: {count} failure counter cleared.",
    other: "{name}'s account is unlocked: {count} failure counters cleared.",
  },
  'admin.user.done.unchanged': 'Nothing changed: that was already the setting.',
  'admin.user.done.appGone': "That app had no access to {name}'s account any more. Nothing was changed.",
  'admin.user.done.appRemoved':
    "{app} no longer has access to {name}'s account. Its tokens stopped working at once.",

  'admin.user.disable.title': 'Disable account',
  'admin.user.disable.already': 'The account is already disabled.',
  'admin.user.disable.self': 'You cannot disable your own account here.',
  'admin.user.disable.question': "Disable {name}'s account?",
  'admin.user.disable.detail':
    '{name} is signed out of every browser, and every sign-in — on the web and from every app — is refused until an administrator enables the account again. Nothing is deleted.',
  'admin.user.disable.yes': 'Yes, disable',
  'admin.user.enable.title': 'Enable account',
  'admin.user.enable.question': "Enable {name}'s account?",
  'admin.user.resetPassword.title': 'Reset password',
  'admin.user.resetPassword.self': 'To change your own password, use Password in your account.',
  'admin.user.resetPassword.question': "Reset {name}'s password?",
  'admin.user.resetPassword.detail':
    'Their current password stops working at once and they are signed out of every browser. You get a one-time password to give them; they choose a new password at their next web sign-in.',
  'admin.user.resetPassword.detailApps': {
    one: 'Their app password will be deleted too, as your organization requires: the app will need a new one.',
    other:
      'Their {count} app passwords will be deleted too, as your organization requires: their apps will need new ones.',
  },
  'admin.user.resetPassword.yes': 'Yes, reset it',
  'admin.user.resetPassword.done.title': 'Password reset',
  'admin.user.resetPassword.done.heading': 'One-time password for {name}',
  'admin.user.resetPassword.done.lead':
    'Give it to {name} in person or by phone — not by email. At their next web sign-in they choose a new password, and this one stops working.',
  'admin.user.resetPassword.done.once':
    'This is the only time it is shown. If it gets lost, reset the password again.',
  'admin.user.resetPassword.done.appsDeleted': {
    one: '{count} app password was deleted with the old password. {name} creates a new one after signing in.',
    other:
      '{count} app passwords were deleted with the old password. {name} creates new ones for their devices after signing in.',
  },
  'admin.user.twoStep.title': 'Change two-step verification',
  'admin.user.twoStep.question.disabled': 'Turn two-step verification off for {name}?',
  'admin.user.twoStep.question.enabled': 'Turn two-step verification on for {name}?',
  'admin.user.twoStep.question.enforced': 'Require two-step verification for {name}?',
  'admin.user.twoStep.off.everyone':
    'Your organization requires two-step verification for everyone, so it stays on in practice.',
  'admin.user.twoStep.off.appsRequired':
    '{name} signs in on the web with the password alone. Apps still need app passwords, because your organization requires them for every app.',
  'admin.user.twoStep.off.plain':
    '{name} signs in on the web with the password alone, and apps use the account password again.',
  'admin.user.twoStep.off.appsStay': {
    one: "{name}'s app password stays.",
    other: "{name}'s {count} app passwords stay.",
  },
  'admin.user.twoStep.off.appsDeleted': {
    one: "{name}'s app password will be deleted: apps using it stop signing in until they are given the account password.",
    other:
      "{name}'s {count} app passwords will be deleted: apps using them stop signing in until they are given the account password.",
  },
  'admin.user.twoStep.on.noMethod':
    '{name} has no verification method yet and sets one up at the next web sign-in.',
  'admin.user.twoStep.on.enabled': 'At the next web sign-in {name} is asked for a second step.',
  'admin.user.twoStep.on.enabledApps': 'Until then, apps keep working with the account password.',
  'admin.user.twoStep.on.enforced':
    'Apps that send the account password — mail, calendars, anything that cannot ask for a second step — are refused; they need app passwords.',
  'admin.user.role.title': 'Change role',
  'admin.user.role.question.admin': 'Make {name} an administrator?',
  'admin.user.role.question.helpdesk': 'Make {name} helpdesk staff?',
  'admin.user.role.question.user': 'Make {name} an ordinary user?',
  'admin.user.role.detail.admin':
    '{name} will be able to change everything: settings, roles, API tokens and every account.',
  'admin.user.role.detail.helpdesk':
    '{name} will be able to look up users and sign-ins, and help ordinary users: reset their password, unlock them, ask them to set up two-step verification again, revoke remembered devices and delete their app passwords.',
  'admin.user.role.detail.user':
    '{name} will manage only their own account and no longer see these administration pages.',
  'admin.user.reregister.title': 'Set up two-step verification again',
  'admin.user.reregister.off':
    'Two-step verification is off for this account: there is nothing to set up again.',
  'admin.user.reregister.question': 'Ask {name} to set up two-step verification again?',
  'admin.user.reregister.detail': {
    one: "{name}'s verification method, recovery codes and remembered devices are removed, and they are signed out of every browser. At the next web sign-in they set up a new method — useful when a phone or security key was lost. App passwords keep working.",
    other:
      "{name}'s {count} verification methods, recovery codes and remembered devices are removed, and they are signed out of every browser. At the next web sign-in they set up a new method — useful when a phone or security key was lost. App passwords keep working.",
  },
  'admin.user.reregister.yes': 'Yes, remove the methods',
  'admin.user.reregister.button': 'Require set-up again',
  'admin.user.forgetDevices.title': 'Revoke remembered devices',
  'admin.user.forgetDevices.question': {
    one: "Revoke {name}'s remembered device?",
    other: "Revoke {name}'s {count} remembered devices?",
  },
  'admin.user.forgetDevices.detail':
    'Browsers where {name} chose "remember this device" will ask for the second step again at the next sign-in. Nothing else about the account changes.',
  'admin.user.deleteApps.title': 'Delete all app passwords',
  'admin.user.deleteApps.none': '{name} has no app passwords.',
  'admin.user.deleteApps.question.one': 'Delete the app password of {name}?',
  'admin.user.deleteApps.question.two': 'Delete both app passwords of {name}?',
  'admin.user.deleteApps.question.all': 'Delete all {count} app passwords of {name}?',
  'admin.user.deleteApps.detail':
    "{name}'s mail apps and other apps will stop signing in at once, until {name} creates new app passwords in their account. Nothing else about the account changes.",
  'admin.user.deleteApps.yes': 'Yes, delete them',
  'admin.user.unlock.title': 'Unlock',
  'admin.user.unlock.question': 'Unlock {name}?',
  'admin.user.unlock.button': 'Unlock now',

  'admin.user.self': 'This is your own account. Change your password and methods in {link}.',
  'admin.user.change': 'Change…',
  'admin.user.account.title': 'Account',
  'admin.user.account.password': 'Password',
  'admin.user.account.created': 'Created',
  'admin.user.password.notSet': 'Not set: they cannot sign in on the web until it is reset.',
  'admin.user.password.oneTime': 'One-time password: they choose their own at the next web sign-in.',
  'admin.user.password.set': 'Set',
  'admin.user.twoStep.state': 'State',
  'admin.user.twoStep.requiredByOrg':
    "(required for everyone by the organization; the account's own setting is {state})",
  'admin.user.twoStep.recoveryCodes': 'Recovery codes',
  'admin.user.twoStep.recoveryNone': 'None',
  'admin.user.twoStep.recoveryUnused': '{unused} of {total} unused',
  'admin.user.twoStep.rememberedDevices': 'Remembered devices',
  'admin.user.methods.caption': 'Verification methods',
  'admin.user.methods.name': 'Name',
  'admin.user.methods.type': 'Type',
  'admin.user.methods.added': 'Added',
  'admin.user.methods.lastUsed': 'Last used',
  'admin.user.methods.default': 'Default',
  'admin.user.methods.empty': 'No verification method registered.',
  'admin.user.appPasswords.title': 'App passwords',
  'admin.user.appPasswords.note':
    'Names and dates only: nobody can see an app password again after it was created.',
  'admin.user.appPasswords.turnedOff':
    'App passwords are turned off for the organization: these are kept but refused.',
  'admin.user.appPasswords.caption': 'App passwords of {username}',
  'admin.user.appPasswords.name': 'Name',
  'admin.user.appPasswords.created': 'Created',
  'admin.user.appPasswords.lastUsed': 'Last used',
  'admin.user.appPasswords.lastUsedFrom': 'Last used from',
  'admin.user.appPasswords.expires': 'Expires',
  'admin.user.appPasswords.onlyFor': 'Only for',
  'admin.user.appPasswords.everyApp': 'Every kind of app',
  'admin.user.apps.title': 'Apps with access',
  'admin.user.apps.note':
    'Apps that {name} signed in to with this account (OpenID Connect), and what each may see.',
  'admin.user.apps.caption': 'Apps with access to the account of {username}',
  'admin.user.apps.empty': "No app has access to {name}'s account.",
  'admin.user.apps.remove.title': 'Remove app access',
  'admin.user.apps.remove.question': 'Remove {app}’s access to {name}’s account?',
  'admin.user.apps.remove.yes': 'Yes, remove it',
  'admin.user.lockout.title': 'Lockout',
  'admin.user.lockout.locked': 'Locked out until {time} for some sources (see below). It unlocks by itself.',
  'admin.user.lockout.noFailures': 'No recent failed attempts.',
  'admin.user.lockout.notLocked': 'Not locked out.',
  'admin.user.lockout.caption': 'Failure counters',
  'admin.user.lockout.counter': 'Counter',
  'admin.user.lockout.failures': 'Failed attempts',
  'admin.user.lockout.lockedUntil': 'Locked until',
  'admin.user.lockout.inARow': 'Lockouts in a row',
  'admin.user.lockout.notLockedCell': 'Not locked',
  'admin.user.lockout.empty': 'No failure counters.',
  'admin.user.signIns.title': 'Recent sign-ins',
  'admin.user.signIns.caption': 'The last 20 sign-ins of {username}',
  'admin.user.signIns.when': 'When',
  'admin.user.signIns.what': 'What happened',
  'admin.user.signIns.from': 'From',
  'admin.user.signIns.result': 'Result',
  'admin.user.signIns.success': 'Success',
  'admin.user.signIns.refused': 'Refused',
  'admin.user.signIns.empty': 'No sign-ins yet.',
  'admin.user.signIns.all': 'All sign-ins of {username}',
  'admin.user.signIns.audit': 'Changes to {username} (audit log)',
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

  // Settings (admin/settings.ts): each setting's label is admin.common.setting.*; its hint is here.
  'admin.settings.title': 'Settings',
  'admin.settings.lead':
    'Rules for the whole organization. Changes apply at once, on every server, and are written to the audit log.',
  'admin.settings.notSaved': {
    one: 'Nothing was saved. Fix the setting marked below.',
    other: 'Nothing was saved. Fix the {count} settings marked below.',
  },
  'admin.settings.saved': {
    '=0': 'Settings saved. Nothing had changed.',
    one: 'Settings saved: {count} change.',
    other: 'Settings saved: {count} changes.',
  },
  'admin.settings.save': 'Save settings',
  'admin.settings.discard': 'Discard changes',
  'admin.settings.group.language': 'Language and time',
  'admin.settings.group.other': 'Other settings',
  'admin.settings.label.defaultLanguage': 'Default language',
  'admin.settings.label.timeZone': 'Time zone',
  'admin.settings.hint.allowAppPasswords':
    'Off: none can be created, and existing ones are refused but not deleted.',
  'admin.settings.hint.maxAppPasswordsPerUser': 'The most app passwords one user may hold.',
  'admin.settings.hint.revokeAppPasswordsOnPasswordChange':
    "A user's app passwords are deleted when their account password is changed or reset.",
  'admin.settings.hint.autoRevokeUnusedAppPasswordsDays': '0 = never.',
  'admin.settings.hint.requireAppPasswordsForNonBrowser':
    'The account password is refused by every app outside the browser, even for users without two-step verification. Apps then need app passwords whatever the two-step state, so turning two-step verification off keeps them.',
  'admin.settings.hint.requireTwoStepForEveryone':
    'Every user is at least "on, to be set up". Turning this off turns two-step verification off for users whose own setting is off, which deletes their app passwords, unless app passwords are required for every non-browser app.',
  'admin.settings.hint.lockoutThreshold':
    'Failed attempts from one source before it is locked out of an account.',
  'admin.settings.hint.lockoutSeconds': 'It doubles each time it happens again.',
  'admin.settings.hint.rememberDeviceDays':
    'After the person ticks "Don\'t ask again on this device"; 0 = off.',
  'admin.settings.hint.sessionLifetimeMinutes': 'How long a browser stays signed in before signing in again.',
  'admin.settings.hint.signInLogRetentionDays': 'Older events are deleted from the sign-in log.',
  'admin.settings.hint.organizationName':
    'As devices show it, in mail account and profile names; empty = the mail domain.',
  'admin.settings.hint.mailDomains':
    'The domains whose addresses the autoconfig and Autodiscover answers serve, separated by commas (example.org, example.net); empty = those answers are not offered.',
  'admin.settings.hint.mailLoginName':
    'What mail, calendar and contacts apps sign in with: the whole e-mail address, or the Latchkey username (the part before the @, in autoconfig answers).',
  'admin.settings.hint.imapHost':
    'The host name devices read mail from (mail.example.org); empty = no incoming mail is offered.',
  'admin.settings.hint.imapPort': '993 for SSL/TLS, 143 for STARTTLS.',
  'admin.settings.hint.smtpHost':
    'The submission server devices send mail through (mail.example.org); empty = no outgoing mail is offered.',
  'admin.settings.hint.smtpPort': '465 for SSL/TLS, 587 for STARTTLS.',
  'admin.settings.hint.security': 'How the connection is secured: TLS from the start, or STARTTLS.',
  'admin.settings.hint.calDavUrl':
    'The calendar server (https://dav.example.org/); empty = no calendar account in profiles.',
  'admin.settings.hint.cardDavUrl':
    'The contacts server (https://dav.example.org/); empty = no contacts account in profiles.',
  'admin.settings.hint.defaultLanguage':
    'The language of the pages for people who have not chosen one and whose browser asks for none Latchkey speaks.',
  'admin.settings.hint.timeZone':
    'The time zone the pages show dates and times in, as an IANA name (Europe/Amsterdam); empty = UTC.',
  'admin.settings.error.boolean': 'Tick the box or leave it empty.',
  'admin.settings.error.integer': 'Enter a whole number from {min} to {max}.',
  'admin.settings.error.enum': 'Choose one of: {choices}.',
  'admin.settings.error.tooLong': {
    one: 'Use at most {count} character.',
    other: 'Use at most {count} characters.',
  },
  'admin.settings.error.text': 'Use one line of plain text.',
  'admin.settings.error.host': 'Enter a host name such as mail.example.org (no address, port or scheme).',
  'admin.settings.error.domains': 'Enter domain names such as example.org, separated by commas (at most 50).',
  'admin.settings.error.url':
    'Enter an https address such as https://dav.example.org/ (no user name, password or #fragment).',
  'admin.settings.error.timeZone': 'Enter a time zone name such as Europe/Amsterdam or UTC.',

  // API tokens (admin/tokens.ts).
  'admin.tokens.title': 'API tokens',
  'admin.tokens.lead':
    'Programs and scripts use the admin API at {path} with a token: {header}. A token has the role it was given, is shown once, and stops working at once when revoked or expired.',
  'admin.tokens.create': 'Create API token',
  'admin.tokens.head.name': 'Name',
  'admin.tokens.head.role': 'Role',
  'admin.tokens.head.created': 'Created',
  'admin.tokens.head.expires': 'Expires',
  'admin.tokens.head.lastUsed': 'Last used',
  'admin.tokens.head.status': 'Status',
  'admin.tokens.noName': 'No name',
  'admin.tokens.by': 'by {name}',
  'admin.tokens.revoke': 'Revoke',
  'admin.tokens.empty': 'There are no API tokens.',
  'admin.tokens.status.revoked': 'Revoked',
  'admin.tokens.status.expired': 'Expired',
  'admin.tokens.status.active': 'Active',
  'admin.tokens.named': '“{label}”',
  'admin.tokens.unnamed': 'token {id}',
  'admin.tokens.revoked': 'The token was revoked. It no longer works.',
  'admin.tokens.cancel': 'Cancel',
  'admin.tokens.close': 'Close',
  'admin.tokens.new.nameHint': 'What will use it, for example "Provisioning script".',
  'admin.tokens.new.nameMissing': 'Give the token a name, so that you know later what uses it.',
  'admin.tokens.new.roleHelpdesk': 'Helpdesk: look up users, help ordinary users',
  'admin.tokens.new.roleAdmin': 'Administrator: everything',
  'admin.tokens.new.roleHint': 'Give the smallest role that does the job.',
  'admin.tokens.new.in30': 'In 30 days',
  'admin.tokens.new.in90': 'In 90 days',
  'admin.tokens.new.inYear': 'In a year',
  'admin.tokens.new.submit': 'Create token',
  'admin.tokens.created.title': 'Your new API token',
  'admin.tokens.created.heading': 'API token {name}',
  'admin.tokens.created.lead':
    'Put it where the program keeps secrets, and send it as {header} followed by the token.',
  'admin.tokens.created.expires': '{role} token, expires {date}',
  'admin.tokens.created.neverExpires': '{role} token, never expires',
  'admin.tokens.created.copy': 'Copy token to clipboard',
  'admin.tokens.created.once': 'This is the only time it is shown. If it gets lost, revoke it and create a new one.',
  'admin.tokens.revokePage.title': 'Revoke API token',
  'admin.tokens.revokePage.question': 'Revoke the API token {name}?',
  'admin.tokens.revokePage.detailUsed':
    'Programs using it are refused from their next request. It has the {role} role and was last used on {date}. This cannot be undone: a program that still needs access needs a new token.',
  'admin.tokens.revokePage.detailNever':
    'Programs using it are refused from their next request. It has the {role} role and was never used. This cannot be undone: a program that still needs access needs a new token.',
  'admin.tokens.revokePage.yes': 'Yes, revoke it',
  'admin.tokens.revokePage.no': 'No',
  // ── end admin-rest ──

  // ── Device approval, apps with access, consent, the page shell's remaining words ──
  // Device approval (device.ts)
  'device.code.title': 'Connect a device',
  'device.code.lead':
    'An app on one of your devices is asking for an app password. Type the code it shows you.',
  'device.code.label': 'Code',
  'device.code.hint':
    'Eight letters, like BCDF-GHJK. Capitals and the dash do not matter. Check that it is the code your device shows.',
  'device.code.next': 'Next',
  'device.cancel': 'Cancel',
  'device.expired.title': 'This code has expired',
  'device.expired.message':
    'Codes work for 10 minutes. Start again on the device to get a new code. Nothing was given to the app.',
  'device.denied.title': 'Request denied',
  'device.denied.message':
    '{app} was told no and got nothing. If this was a mistake, start again on the device.',
  'device.answered.title': 'This request was already answered',
  'device.answered.message': 'Nothing more to do here.',
  'device.approved.title': 'Approved',
  'device.approved.message':
    '{app} gets its own app password, named “{name}”. Go back to the device: it carries on by itself. You can delete the app password at any time in {link}.',
  'device.confirm.title': 'Give {app} an app password?',
  'device.confirm.lead':
    'The app will sign in as {username} with a new app password of its own, for mail, calendars, contacts and the other apps your organization connects to Latchkey.',
  'device.confirm.notApproved': 'Not approved',
  'device.confirm.warning.title': 'Did you start this?',
  'device.confirm.warning':
    'Approve only if you started this yourself, on your own device, in the last few minutes. If someone sent you this link or code, or asked you to type it, choose Deny: whoever started it would get into your account.',
  'device.fact.app': 'App',
  'device.fact.from': 'Requested from',
  'device.fact.requested': 'Requested',
  'device.fact.software': 'Software',
  'device.fact.notSaid': 'Not said',
  'device.fact.expires': 'Expires',
  'device.approve': 'Approve',
  'device.deny': 'Deny',
  'device.throttled.title': 'Too many wrong codes',
  'device.throttled.message': {
    one: 'For your security, codes are not checked for a while after several wrong ones. Try again in {count} minute.',
    other:
      'For your security, codes are not checked for a while after several wrong ones. Try again in {count} minutes.',
  },
  'device.error.malformed': 'Codes are eight letters, like BCDF-GHJK.',
  'device.error.unknown':
    'No request has this code. Check the code on the device; codes work for 10 minutes.',
  'device.rule.appPasswordsDisabled':
    'Your organization does not allow app passwords, so this app cannot get one. Nothing was given to it.',
  'device.rule.twoStepRequired':
    'App passwords are for accounts with two-step verification. Yours is off, so your apps use your account password. Nothing was given to the app.',
  'device.rule.appPasswordLimit':
    'You have reached the maximum number of app passwords. Delete one you no longer use in App passwords, then come back to this page and approve again. Nothing was given to the app yet.',

  // Apps with access (apps.ts), also on the staff view of a user
  'apps.title': 'Apps with access',
  'apps.lead':
    'Apps that sign you in with your Latchkey account. They never see your password. Remove an app you no longer use: it loses access at once.',
  'apps.caption': 'Apps with access to your account',
  'apps.empty':
    'No app has access to your account. When you sign in to an app with your Latchkey account, it appears here.',
  'apps.head.app': 'App',
  'apps.head.scopes': 'What it may see',
  'apps.head.allowed': 'Allowed',
  'apps.head.lastUsed': 'Last used',
  'apps.notRecorded': 'Not recorded',
  'apps.trusted': 'Your organization’s own app',
  'apps.remove': 'Remove',
  'apps.lastUsed.self':
    '“Last used” is the last time the app signed you in or renewed its access to your account; other people’s use of it does not count.',
  'apps.lastUsed.staff':
    '“Last used” is the last time the app signed this person in or renewed its access to their account; other people’s use of it does not count.',
  'apps.scope.self.openid': 'Who you are',
  'apps.scope.self.profile': 'Your name and username',
  'apps.scope.self.email': 'Your email address',
  'apps.scope.self.groups': 'The groups you are in',
  'apps.scope.self.offline_access': 'Stays signed in after you close it',
  'apps.scope.self.mail': 'Your mail',
  'apps.scope.staff.openid': 'Who they are',
  'apps.scope.staff.profile': 'Their name and username',
  'apps.scope.staff.email': 'Their email address',
  'apps.scope.staff.groups': 'The groups they are in',
  'apps.scope.staff.offline_access': 'Stays signed in after they close it',
  'apps.scope.staff.mail': 'Their mail',
  'apps.removeDetail.self.trusted':
    '{app} is signed out of your account at once: the tokens it holds stop working, and it can no longer see anything of yours. It is your organization’s own app, so the next time you open it, it signs you in again without asking. Nothing else changes.',
  'apps.removeDetail.self.other':
    '{app} is signed out of your account at once: the tokens it holds stop working, and it can no longer see anything of yours. The next time you open it, it asks you again whether it may sign you in. Nothing else changes.',
  'apps.removeDetail.staff.trusted':
    '{app} is signed out of their account at once: the tokens it holds stop working, and it can no longer see anything of theirs. It is your organization’s own app, so the next time they open it, it signs them in again without asking. Nothing else changes.',
  'apps.removeDetail.staff.other':
    '{app} is signed out of their account at once: the tokens it holds stop working, and it can no longer see anything of theirs. The next time they open it, it asks them again whether it may sign them in. Nothing else changes.',
  'apps.remove.title': 'Remove app',
  'apps.remove.heading': 'Remove {app}’s access?',
  'apps.remove.yes': 'Yes',
  'apps.remove.no': 'No',
  'apps.notFound.title': 'App not found',
  'apps.notFound.heading': 'This app has no access',
  'apps.notFound.message': 'Its access may have been removed already. Nothing was changed.',
  'apps.close': 'Close',
  'apps.removed.title': 'Access removed',
  'apps.removed.heading': '{app} no longer has access',
  'apps.removed.headingUnknown': 'The app no longer has access',
  'apps.removed.lead.trusted':
    'Its tokens stopped working at once. It is your organization’s own app: if you open it again, it signs you in again.',
  'apps.removed.lead.other':
    'Its tokens stopped working at once. If you open it again, it asks you again whether it may sign you in.',

  // The OpenID Connect consent and its interaction pages (oidc.ts)
  'consent.scope.openid': 'Who you are: your account, so that it can sign you in',
  'consent.scope.profile': 'Your name and username',
  'consent.scope.email': 'Your email address',
  'consent.scope.groups': 'The groups you are in',
  'consent.scope.offline_access': 'Stay signed in to it after you close it (until you remove its access)',
  'consent.scope.mail': 'Your mail: it can read and send your mail as you',
  'consent.title': 'Allow {app}?',
  'consent.heading': '{app} wants to sign you in',
  'consent.willSee': 'It will see:',
  'consent.note':
    'It never sees your password. You can remove its access at any time, under {link} in your account.',
  'consent.allow': 'Allow',
  'consent.cancel': 'Cancel',
  'consent.expired.message':
    'The app sent you here more than 15 minutes ago, or this page was already used. Go back to the app and sign in again.',
  'consent.back.title': 'Back to the app',
  'consent.back.heading': 'Taking you back to the app…',

  // More refusals of the core, as pages show them (ERROR_WORDS in i18n/index.ts)
  'error.usernameInvalid': 'Usernames are 1–64 characters from a–z, 0–9, ".", "_" and "-".',
  'error.emailInvalid': 'The email address is not valid.',
  'error.displayNameInvalid': 'Display names are 1–128 printable characters.',
  'error.roleInvalid': 'The role must be one of user, helpdesk, admin.',
  'error.userExists': 'A user with this name already exists.',
  'error.emailTaken': 'Another user already has this email address.',
  'error.userNotFound': 'No such user.',
  'error.twoStepStateInvalid': 'Two-step state must be one of disabled, enabled, enforced.',
  'error.twoStepRequired':
    'App passwords are for users with two-step verification; turn it on for this user first.',
  'error.expiresInvalid':
    'Expiry must be a duration such as 30d, 12w or 24h (at most 3650 days), or a future date YYYY-MM-DD.',
  'error.appPasswordsDisabled': 'Your organization does not allow app passwords.',
  'error.appPasswordNotFound': 'No such app password.',
  'error.settingInvalid': 'Invalid value for this setting.',
  'error.serviceNameInvalid':
    'Service names are 1–64 characters from a–z, 0–9, ".", "_" and "-", starting with a letter or digit.',
  'error.serviceExists': 'A service account with this name already exists.',
  'error.serviceNotFound': 'No such service account.',
  'error.radiusReplyExists':
    'This group already has a rule for this attribute (for this RADIUS client): delete it first.',
  'error.clientNameInvalid':
    'Client names are 1–64 characters from a–z, 0–9, ".", "_" and "-", starting with a letter or digit (not "lkc_").',
  'error.clientExists': 'An OpenID Connect client with this name already exists.',
  'error.clientNotFound': 'No such OpenID Connect client.',
  'error.appAccessNotFound': 'This app has no access to the account.',
  'error.clientPublic': 'This client is public: it has no secret to rotate.',
  'error.clientScopeInvalid':
    'Client scopes are one or more of openid, profile, email, groups, offline_access.',
  'error.redirectUriInvalid':
    'Redirect URIs are absolute https URIs (http only for localhost or a loopback address), without a fragment, at most 2000 characters, at most 20.',
  'error.statusInvalid': 'The status must be active or disabled.',
  'error.tokenNotFound': 'No such API token.',
  'error.csvInvalid': 'The file is not a valid user import.',
  'error.filterInvalid': 'Invalid filter.',
  'error.forbidden': 'You are not allowed to do this.',
  'error.lastAdmin': 'This is the last active administrator; make another administrator first.',
  'error.limitInvalid': 'The limit must be a whole number from 1 to 10000.',
  'error.methodNotFound': 'No such verification method.',
  'error.lastMethod':
    'This is your last verification method and two-step verification is required for your account. Add another method first.',
  'error.twoStepOff': 'Two-step verification is off for this account; your administrator turns it on.',
  'error.sudoRequired': 'For your security, confirm it is you before making this change.',
  'error.csrfInvalid': 'This form has expired or did not come from this site. Reload the page and try again.',
  'error.sessionRequired': 'Please sign in.',
  // ── end misc ──
} as const satisfies Record<string, Message>;
