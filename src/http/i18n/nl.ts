// Nederlands. The terms follow what people already read in Microsoft's Dutch documentation:
// aanmelden/afmelden, verificatie in twee stappen, app-wachtwoord, beveiligingssleutel, herstelcode;
// buttons say Maken, Verwijderen, Sluiten. People are addressed as "je", as that documentation does.

import type { Catalogue } from './types.js';

export const nl: Catalogue = {
  'language.name': 'Nederlands',
  'language.choose': 'Taal',

  'common.reference': 'Referentie: {id}',
  'common.done': 'Klaar',
  'common.continue': 'Doorgaan',

  'layout.skipLink': 'Naar de inhoud',
  'layout.signedInAs': 'Aangemeld als',
  'layout.signOut': 'Afmelden',
  'layout.help': 'Help',
  'field.errorPrefix': 'Fout:',
  'secret.copyPassword': 'Wachtwoord naar klembord kopiëren',
  'time.never': 'Nooit',
  'time.justNow': 'zojuist',
  'time.inAMoment': 'zo meteen',

  'nav.account': 'Account',
  'nav.administration': 'Beheer',
  'nav.security': 'Beveiligingsgegevens',
  'nav.appPasswords': 'App-wachtwoorden',
  'nav.apps': 'Apps met toegang',
  'nav.password': 'Wachtwoord',
  'nav.signIns': 'Recente aanmeldingen',
  'nav.help': 'Help',
  'nav.adminOverview': 'Overzicht',
  'nav.adminUsers': 'Gebruikers',
  'nav.adminSignIns': 'Aanmeldingen',
  'nav.adminSettings': 'Instellingen',
  'nav.adminAudit': 'Auditlogboek',
  'nav.adminImport': 'Gebruikers importeren',
  'nav.adminTokens': 'API-tokens',
  'nav.adminClients': 'Apps',
  'nav.adminRadius': 'RADIUS',

  'errorPage.toAccount': 'Naar je account',
  'errorPage.toSignIn': 'Naar de aanmeldpagina',
  'errorPage.formExpired.title': 'Dit formulier is verlopen',
  'errorPage.formExpired.message':
    'Het formulier kwam niet van deze site, of het stond te lang open. Er is niets gewijzigd. Ga terug, laad de pagina opnieuw en probeer het nog eens.',
  'errorPage.expired.title': 'Deze pagina is verlopen',
  'errorPage.problem.title': 'Er klopt iets niet',
  'errorPage.server.title': 'Er ging bij ons iets mis',
  'errorPage.server.message':
    'Dit komt niet door iets wat jij deed. Probeer het zo opnieuw; blijft het gebeuren, geef dan de referentie hieronder door aan je helpdesk.',
  'errorPage.badRequest.title': 'Dit verzoek werd niet begrepen',
  'errorPage.badRequest.message':
    'Het formulier is niet verstuurd zoals deze pagina verwacht. Ga terug en probeer het opnieuw.',

  'signIn.title': 'Aanmelden',
  'signIn.continueTo': 'Meld je aan om door te gaan naar {app}',
  'signIn.lead': 'Gebruik je accountnaam en wachtwoord. Daarna kan er om een tweede stap worden gevraagd.',
  'signIn.username.label': 'Gebruikersnaam of e-mailadres',
  'signIn.password.label': 'Wachtwoord',
  'signIn.submit': 'Aanmelden',
  'signIn.appHint':
    'Stel je een mail-app in, of een andere app die om je wachtwoord vraagt? Meld je hier aan en maak er een app-wachtwoord voor.',
  'signIn.signedOut': 'Je bent afgemeld.',
  'signIn.error.appPassword':
    'Dat is een app-wachtwoord. App-wachtwoorden zijn alleen voor apps die geen verificatie in twee stappen kunnen doen, zoals mail-apps op je telefoon of computer; die openen deze pagina nooit. Meld je aan met het wachtwoord van je account.',
  'signIn.error.wrong':
    'De gebruikersnaam of het wachtwoord klopt niet. Controleer ze en probeer het opnieuw.',
  'signIn.error.throttled':
    'Er komen op dit moment te veel aanmeldpogingen van je netwerk, dus deze is niet gecontroleerd. Wacht een minuut en probeer het opnieuw.',

  'expired.title': 'Aanmelding verlopen',
  'expired.heading': 'Deze aanmelding is verlopen',
  'expired.lead':
    'Voor je veiligheid moet elke aanmelding binnen {minutes} minuten klaar zijn, en elke stap werkt maar één keer.',
  'expired.again': 'Opnieuw aanmelden',

  'flow.signingInAs': 'Je meldt je aan als {name}',
  'flow.notYou': 'Ben jij dit niet?',

  'continue.title': 'Aangemeld',
  'continue.heading': 'Je bent aangemeld',
  'continue.lead': 'We brengen je terug naar {host}…',

  'challenge.remember': {
    one: 'Niet meer vragen op dit apparaat gedurende {count} dag',
    other: 'Niet meer vragen op dit apparaat gedurende {count} dagen',
  },
  'challenge.rememberHint': 'Alleen op een apparaat dat alleen jij gebruikt.',
  'challenge.webauthn.prompt':
    'Gebruik je beveiligingssleutel of passkey: steek hem in of raak hem aan, of volg de aanwijzingen op je apparaat.',
  'challenge.webauthn.submit': 'Beveiligingssleutel of passkey gebruiken',
  'challenge.password.label': 'Je wachtwoord',
  'challenge.confirm': 'Bevestigen',
  'challenge.recovery.label': 'Herstelcode',
  'challenge.recovery.hint':
    'Een van de tien codes die je hebt bewaard toen je verificatie in twee stappen instelde, zoals abcde-fghij. Elke code werkt één keer.',
  'challenge.totp.label': 'Code uit je authenticator-app',
  'challenge.totp.hint': 'Open de app en typ de code van 6 cijfers die hij voor Latchkey toont.',
  'challenge.verify': 'Verifiëren',
  'challenge.other': 'Andere manieren om te verifiëren',
  'challenge.other.totp': 'Een code uit je authenticator-app gebruiken',
  'challenge.other.webauthn': 'Je beveiligingssleutel of passkey gebruiken',
  'challenge.other.recovery': 'Een herstelcode gebruiken',
  'totp.qrLabel': 'QR-code voor je authenticator-app',

  'newPassword.title': 'Kies je wachtwoord',
  'newPassword.lead':
    'Je hebt je aangemeld met een eenmalig wachtwoord. Kies nu je eigen wachtwoord; het eenmalige wachtwoord werkt daarna niet meer.',
  'newPassword.label': 'Nieuw wachtwoord',
  'newPassword.hint': {
    one: 'Minstens {count} teken. Een paar woorden die niets met elkaar te maken hebben, geven een sterk wachtwoord dat makkelijk te typen is.',
    other:
      'Minstens {count} tekens. Een paar woorden die niets met elkaar te maken hebben, geven een sterk wachtwoord dat makkelijk te typen is.',
  },
  'newPassword.confirm': 'Typ het nog een keer',
  'newPassword.save': 'Wachtwoord opslaan',

  'verify.title': 'Verificatie in twee stappen',
  'verify.lead': 'Je account is beveiligd met een tweede stap. Laat zien dat jij het bent.',

  'register.title': 'Verificatie in twee stappen instellen',
  'register.lead':
    'Je organisatie vraagt om een tweede stap wanneer je je aanmeldt. Stel die nu in; het kost een minuut.',
  'register.webauthn.heading': 'Beveiligingssleutel of passkey',
  'register.webauthn.name.label': 'Geef deze sleutel een naam',
  'register.webauthn.name.default': 'Beveiligingssleutel',
  'register.webauthn.name.hint':
    'Zo kun je je sleutels later uit elkaar houden, bijvoorbeeld "Blauwe sleutel" of "Passkey laptop".',
  'register.webauthn.submit': 'Beveiligingssleutel of passkey registreren',
  'register.useTotp': 'Liever een authenticator-app gebruiken',
  'register.totp.heading': 'Authenticator-app',
  'register.totp.install':
    'Installeer een authenticator-app op je telefoon als je er nog geen hebt (bijvoorbeeld Microsoft Authenticator, Google Authenticator, 2FAS of Aegis).',
  'register.totp.scan': 'Voeg in de app een account toe en scan deze QR-code.',
  'register.totp.manual': 'Lukt scannen niet? Typ dan deze sleutel',
  'register.totp.account': 'Account: {account}, op tijd gebaseerd.',
  'register.totp.code': 'Typ de code van 6 cijfers die de app toont',
  'register.totp.submit': 'Verifiëren en doorgaan',
  'register.useWebauthn': 'Liever een beveiligingssleutel of passkey gebruiken',

  'recovery.title': 'Bewaar je herstelcodes',
  'recovery.lead':
    'Raak je je telefoon of beveiligingssleutel kwijt, dan kun je je met elk van deze codes één keer aanmelden. Bewaar ze op een veilige plek, niet op je apparaten: druk ze af, of zet ze in een wachtwoordbeheerder.',
  'recovery.label': 'Je herstelcodes',
  'recovery.copy': 'Codes naar klembord kopiëren',
  'recovery.once': 'Je krijgt deze codes niet meer te zien. In je account kun je altijd nieuwe maken.',
  'recovery.saved': 'Ik heb ze bewaard, doorgaan',

  'firstApp.title': 'Je eerste app-wachtwoord',
  'firstApp.heading': 'Verificatie in twee stappen staat aan',
  'firstApp.lead':
    "Vanaf nu hebben apps die niet om een tweede stap kunnen vragen — mail-apps, agenda's, alles wat alleen om een wachtwoord vraagt — een app-wachtwoord nodig in plaats van het wachtwoord van je account.",
  'firstApp.already': 'Je eerste app-wachtwoord is al getoond. In je account kun je er meer maken.',
  'firstApp.create': 'Maak je eerste app-wachtwoord',
  'firstApp.label': 'Naam van het apparaat waarop je het gebruikt',
  'firstApp.hint': 'Eén app-wachtwoord per apparaat, niet per app: bijvoorbeeld "Telefoon" of "Laptop werk".',
  'firstApp.next': 'Volgende',
  'firstApp.skip': 'Nu overslaan',

  'appPassword.title': 'Je app-wachtwoord',
  'appPassword.heading': 'App-wachtwoord voor {label}',
  'appPassword.lead':
    'Typ of plak het in de app op dat apparaat, waar om je wachtwoord wordt gevraagd. Spaties maken niet uit.',
  'appPassword.label': 'Je nieuwe app-wachtwoord',
  'appPassword.once':
    'Dit is de enige keer dat je het ziet. Je hoeft het niet te onthouden: heb je er later weer een nodig, maak dan een nieuwe.',

  'error.flowExpired': 'Deze aanmelding is verlopen of al afgerond. Meld je opnieuw aan.',
  'error.flowStep': 'Deze stap is al gedaan. Ga verder waar je nu bent.',
  'error.codeInvalid': 'Die code klopt niet, of is al gebruikt. Probeer de volgende code.',
  'error.recoveryCodeInvalid': 'Die herstelcode klopt niet, of is al gebruikt.',
  'error.securityKeyFailed':
    'Je beveiligingssleutel of passkey kon niet worden geverifieerd. Probeer het opnieuw.',
  'error.methodNameInvalid': 'Namen van methoden zijn 1 tot 64 afdrukbare tekens.',
  'error.labelInvalid': 'Namen van app-wachtwoorden zijn 1 tot 64 afdrukbare tekens.',
  'error.appPasswordLimit':
    'Je hebt het maximale aantal app-wachtwoorden bereikt. Verwijder er een die je niet meer gebruikt en probeer het opnieuw.',
  'error.passwordTooShort': 'Wachtwoorden zijn minstens 8 tekens lang.',
  'error.secretTooLong': 'Geheimen zijn hoogstens 1024 bytes lang.',
  'error.secretInvalid': 'Er staan tekens in die niet zijn toegestaan (regeleinden of stuurtekens).',
  'error.passwordWrong': 'Je huidige wachtwoord klopt niet.',
  'error.passwordsDiffer': 'De twee nieuwe wachtwoorden zijn niet hetzelfde.',
  'error.passwordUnchanged': 'Kies een ander wachtwoord dan je huidige.',

  // ── Account pages (src/http/pages/account/*) and sign-in events in plain words ──
  'events.door.browser': 'Webbrowser',
  'events.door.imap': 'E-mail (IMAP)',
  'events.door.pop3': 'E-mail (POP)',
  'events.door.smtp': 'E-mail verzenden (SMTP)',
  'events.door.ldap': 'Adreslijst (LDAP)',
  'events.door.http': 'Webapp (HTTP)',
  'events.door.dav': 'Agenda en contacten (DAV)',
  'events.door.activesync': 'Exchange ActiveSync',
  'events.door.radius': 'VPN of wifi (RADIUS)',
  'events.door.oidc': 'Aanmelden bij apps (OpenID Connect)',
  'events.method.totp': 'authenticator-app',
  'events.method.webauthn': 'beveiligingssleutel of passkey',
  'events.method.recoveryCode': 'herstelcode',
  'events.method.rememberedDevice': 'onthouden apparaat',
  'events.method.passwordOnly': 'alleen wachtwoord',
  'events.method.none': 'geen',
  'events.appPassword.named': 'app-wachtwoord ‘{label}’',
  'events.appPassword.unnamed': 'een app-wachtwoord',
  'events.someApp': 'Een app',
  'events.someApp.lower': 'een app',
  'events.oidc.accepted': 'Aangemeld bij {app} (OpenID Connect).',
  'events.oidc.cancelled.self':
    '{app} (OpenID Connect) wilde je aanmelden; je koos Annuleren, dus de app heeft niets gekregen.',
  'events.oidc.cancelled.staff':
    '{app} (OpenID Connect) wilde deze persoon aanmelden; die koos Annuleren, dus de app heeft niets gekregen.',
  'events.oidc.refused': '{app} (OpenID Connect): het aanmelden is geweigerd.',
  'events.accepted.web': 'Aangemeld op het web (tweede stap: {method}).',
  'events.accepted.appPassword': '{door}: een app heeft zich aangemeld met {appPassword}.',
  'events.accepted.token':
    '{door}: een mail-app heeft zich aangemeld met een token van {app} (OpenID Connect), zonder wachtwoord.',
  'events.accepted.password.self': '{door}: een app heeft zich aangemeld met je accountwachtwoord.',
  'events.accepted.password.staff': '{door}: een app heeft zich aangemeld met het accountwachtwoord.',
  'events.refused.appPasswordRequired.self':
    '{door}: een app gebruikte je accountwachtwoord, maar heeft een app-wachtwoord nodig. Maak er een voor dat apparaat en vul dat in de app in.',
  'events.refused.appPasswordRequired.staff':
    '{door}: een app gebruikte het accountwachtwoord, wat daar met verificatie in twee stappen niet meer mag. Deze persoon heeft een app-wachtwoord voor dat apparaat nodig.',
  'events.refused.appPasswordInBrowser.self':
    'Er is een app-wachtwoord ingevuld op de aanmeldpagina. App-wachtwoorden werken alleen in apps; meld je op het web aan met je accountwachtwoord.',
  'events.refused.appPasswordInBrowser.staff':
    'Er is een app-wachtwoord ingevuld op de aanmeldpagina van het web, waar het nooit werkt.',
  'events.refused.appPasswordsOff':
    '{door}: {appPassword} is geweigerd omdat de organisatie app-wachtwoorden heeft uitgeschakeld.',
  'events.refused.appPasswordExpired.self':
    '{door}: {appPassword} is verlopen. Maak een nieuw app-wachtwoord voor dat apparaat.',
  'events.refused.appPasswordExpired.staff': '{door}: {appPassword} is verlopen.',
  'events.refused.outOfScope': '{door}: {appPassword} is niet toegestaan voor dit soort app.',
  'events.refused.lockedOut':
    '{door}: geweigerd na te veel mislukte pogingen. Over een paar minuten wordt het vanzelf weer ontgrendeld.',
  'events.refused.throttled':
    '{door}: geweigerd omdat dit adres te veel aanmeldpogingen tegelijk deed. Er is niets gecontroleerd.',
  'events.refused.disabled.self': '{door}: geweigerd omdat je account is uitgeschakeld.',
  'events.refused.disabled.staff': '{door}: geweigerd omdat het account is uitgeschakeld.',
  'events.refused.oneTimePassword.self':
    '{door}: een app gebruikte je eenmalige wachtwoord. Meld je eerst op het web aan om je eigen wachtwoord te kiezen.',
  'events.refused.oneTimePassword.staff':
    '{door}: een app gebruikte het eenmalige wachtwoord. Deze persoon moet zich eerst op het web aanmelden en een eigen wachtwoord kiezen.',
  'events.refused.unknownUser': '{door}: er is geen account met deze naam.',
  'events.refused.methodUnsupported':
    '{door}: het apparaat vroeg om CHAP, MS-CHAP of EAP, en dat kan Latchkey niet controleren. Zet het apparaat (of de VPN- of wifiserver) op PAP; het wachtwoord blijft beschermd door het RADIUS-geheim.',
  'events.refused.confirmPasswordWrong':
    'Web: er is een verkeerd huidig wachtwoord ingevuld om een wijziging te bevestigen.',
  'events.refused.secondStepWrong':
    'Aanmelden op het web: de tweede stap (code of beveiligingssleutel) klopte niet.',
  'events.refused.webPasswordWrong': 'Aanmelden op het web: verkeerd wachtwoord.',
  'events.refused.passwordWrong': '{door}: verkeerd wachtwoord of app-wachtwoord.',
  'events.agent.unknown': 'Onbekende browser',
  'events.agent.onOs': '{browser} op {os}',
  'events.repeats': { one: '{count} keer', other: '{count} keer' },
  'events.repeatsSince': {
    one: '{count} keer, voor het eerst {since}',
    other: '{count} keer, voor het eerst {since}',
  },
  'account.cancel': 'Annuleren',
  'account.close': 'Sluiten',
  'account.yes': 'Ja',
  'account.no': 'Nee',
  'account.backToSecurity': 'Terug naar beveiligingsgegevens',
  'account.kind.totp': 'Authenticator-app',
  'account.kind.webauthn': 'Beveiligingssleutel of passkey',
  'account.done.methodAdded': 'Je nieuwe verificatiemethode is klaar voor gebruik.',
  'account.done.methodRemoved': 'De verificatiemethode is verwijderd.',
  'account.done.defaultChanged': 'Je standaardverificatiemethode is gewijzigd.',
  'account.done.devicesForgotten': 'Onthouden apparaten vragen weer om de tweede stap.',
  'account.done.passwordChanged': 'Je wachtwoord is gewijzigd. Andere browsers zijn afgemeld.',
  'account.done.languageChanged': 'Je taal is opgeslagen. Deze pagina’s gebruiken die nu op elk apparaat.',

  'account.security.title': 'Beveiligingsgegevens',
  'account.security.lead': 'Zo bewijs je dat jij het bent als je je aanmeldt.',
  'account.security.twoStep.heading': 'Verificatie in twee stappen',
  'account.security.twoStep.status': 'Status',
  'account.security.twoStep.disabled': 'Uit. Je beheerder zet het aan voor je account.',
  'account.security.twoStep.enabled': 'Aan: je stelt je methoden in bij je volgende aanmelding.',
  'account.security.twoStep.enforced':
    'Aan. Apps die niet om een tweede stap kunnen vragen, hebben app-wachtwoorden nodig.',
  'account.security.methods.heading': 'Verificatiemethoden',
  'account.security.methods.caption': 'Je verificatiemethoden',
  'account.security.methods.name': 'Naam',
  'account.security.methods.type': 'Soort',
  'account.security.methods.added': 'Toegevoegd',
  'account.security.methods.lastUsed': 'Laatst gebruikt',
  'account.security.methods.empty': 'Je hebt nog geen verificatiemethode.',
  'account.security.methods.default': 'Standaard',
  'account.security.methods.makeDefault': 'Standaard maken',
  'account.security.methods.remove': 'Verwijderen',
  'account.security.methods.addTotp': 'Authenticator-app toevoegen',
  'account.security.methods.addWebauthn': 'Beveiligingssleutel of passkey toevoegen',
  'account.security.codes.heading': 'Herstelcodes',
  'account.security.codes.none':
    'Je hebt geen herstelcodes. Met elke code meld je je één keer aan als je je telefoon of sleutel niet bij de hand hebt.',
  'account.security.codes.left': {
    one: 'Nog {unused} van {count} code over. Met elke code meld je je één keer aan als je je telefoon of sleutel niet bij de hand hebt.',
    other:
      'Nog {unused} van de {count} codes over. Met elke code meld je je één keer aan als je je telefoon of sleutel niet bij de hand hebt.',
  },
  'account.security.codes.get': 'Herstelcodes maken',
  'account.security.codes.getNew': 'Nieuwe codes maken',
  'account.security.devices.heading': 'Onthouden apparaten',
  'account.security.devices.none': 'Er is geen apparaat dat de tweede stap overslaat.',
  'account.security.devices.some': {
    one: '{count} apparaat mag de tweede stap overslaan bij het aanmelden.',
    other: '{count} apparaten mogen de tweede stap overslaan bij het aanmelden.',
  },
  'account.security.devices.forget': 'Alle onthouden apparaten vergeten',
  'account.security.sessions.heading': 'Waar je bent aangemeld',
  'account.security.sessions.caption': 'Browsersessies',
  'account.security.sessions.browser': 'Browser',
  'account.security.sessions.address': 'Adres',
  'account.security.sessions.signedIn': 'Aangemeld',
  'account.security.sessions.lastActive': 'Laatst actief',
  'account.security.sessions.thisBrowser': 'Deze browser',
  'account.security.sessions.empty': 'Geen sessies.',
  'account.security.sessions.signOutEverywhere': 'Overal afmelden',
  'account.security.language.heading': 'Taal',
  'account.security.language.label': 'Taal van deze pagina’s',
  'account.security.language.hint':
    'Wordt bij je account bewaard en geldt dus op elk apparaat waarop je je aanmeldt.',
  'account.security.language.browser': 'De taal van mijn browser',
  'account.security.language.save': 'Taal opslaan',
  'account.language.refused.title': 'Die taal is niet beschikbaar',
  'account.language.refused.message': 'Kies een van de talen uit de lijst. Er is niets gewijzigd.',

  'account.recoveryCodes.title': 'Je nieuwe herstelcodes',
  'account.recoveryCodes.lead':
    'Je oude codes werken niet meer. Bewaar deze op een veilige plek; met elke code meld je je één keer aan.',
  'account.recoveryCodes.label': 'Herstelcodes',
  'account.recoveryCodes.once': 'Je ziet deze codes maar één keer.',

  'account.verify.title': 'Bevestig dat jij het bent',
  'account.verify.leadPassword': 'Typ je wachtwoord om deze wijziging te maken.',
  'account.verify.lead':
    'Voor deze wijziging is opnieuw een tweede stap nodig. De komende 10 minuten wordt daar niet meer om gevraagd.',

  'account.methods.new.totpTitle': 'Authenticator-app toevoegen',
  'account.methods.new.webauthnTitle': 'Beveiligingssleutel of passkey toevoegen',
  'account.methods.new.keyNameHint': 'Bijvoorbeeld ‘Blauwe sleutel’ of ‘Passkey laptop’.',
  'account.methods.new.scan': 'Voeg in je authenticator-app een account toe en scan deze QR-code.',
  'account.methods.new.typeCode': 'Typ de code die de app laat zien.',
  'account.methods.new.name': 'Naam',
  'account.methods.new.nameHint': 'Bijvoorbeeld de telefoon waarop de app staat.',
  'account.methods.new.code': 'Code uit de app',
  'account.methods.new.add': 'Toevoegen',
  'account.methods.remove.title': 'Verificatiemethode verwijderen',
  'account.methods.remove.question': '‘{name}’ verwijderen?',
  'account.methods.remove.lead': 'Je kunt je er dan niet meer mee aanmelden.',
  'account.methods.remove.yes': 'Ja, verwijderen',
  'account.methods.remove.no': 'Nee, behouden',
  'account.methods.stays.title': 'Deze methode kan niet worden verwijderd',
  'account.methods.stays.heading': 'Deze methode blijft',

  'account.appPasswords.title': 'App-wachtwoorden',
  'account.appPasswords.twoStepOff':
    'App-wachtwoorden zijn voor accounts met verificatie in twee stappen. Die staat bij jou uit, dus je apps gebruiken je accountwachtwoord.',
  'account.appPasswords.notAllowed': 'Je organisatie staat geen app-wachtwoorden toe.',
  'account.appPasswords.lead':
    'Apps die niet om een tweede stap kunnen vragen — e-mail, agenda’s, contacten, alles wat alleen om een wachtwoord vraagt — melden zich aan met een app-wachtwoord in plaats van je accountwachtwoord.',
  'account.appPasswords.perDevice':
    'Maak één app-wachtwoord per apparaat, niet per app: één voor je telefoon, één voor je laptop. Ben je een apparaat kwijt of gebruik je het niet meer, verwijder dan het app-wachtwoord ervan.',
  'account.appPasswords.atLimit': {
    one: 'Je hebt {count} app-wachtwoord, het maximum. Verwijder het voordat je een nieuw app-wachtwoord maakt.',
    other:
      'Je hebt {count} app-wachtwoorden, het maximum. Verwijder er een die je niet meer gebruikt voordat je een nieuw app-wachtwoord maakt.',
  },
  'account.appPasswords.create': 'Maken',
  'account.appPasswords.caption': 'Je app-wachtwoorden',
  'account.appPasswords.name': 'Naam',
  'account.appPasswords.created': 'Gemaakt',
  'account.appPasswords.lastUsed': 'Laatst gebruikt',
  'account.appPasswords.lastUsedFrom': 'Laatst gebruikt vanaf',
  'account.appPasswords.expires': 'Verloopt {when}',
  'account.appPasswords.onlyFor': 'Alleen voor {doors}',
  'account.appPasswords.delete': 'Verwijderen',
  'account.appPasswords.empty': 'Je hebt geen app-wachtwoorden.',
  'account.appPasswords.used': { one: '{used} van {count} gebruikt.', other: '{used} van {count} gebruikt.' },
  'account.appPasswords.device.heading': 'Een apparaat koppelen met een code',
  'account.appPasswords.device.lead':
    'Laat een app of apparaat een code zien en vraagt het je die op het web goed te keuren? Typ de code op de apparaatpagina; de app krijgt een eigen app-wachtwoord en jij hoeft er niets in te typen.',
  'account.appPasswords.device.link': 'Apparaat koppelen',
  'account.appPasswords.back': 'Terug naar app-wachtwoorden',
  'account.appPasswords.limit.create': {
    one: 'Je hebt het maximum van {count} app-wachtwoord bereikt. Verwijder het en maak dan een nieuw.',
    other:
      'Je hebt het maximum van {count} app-wachtwoorden bereikt. Verwijder er een die je niet meer gebruikt en maak dan een nieuw.',
  },
  'account.appPasswords.limit.device': {
    one: 'Je hebt het maximum van {count} app-wachtwoord bereikt. Verwijder het en stel dan het apparaat in.',
    other:
      'Je hebt het maximum van {count} app-wachtwoorden bereikt. Verwijder er een die je niet meer gebruikt en stel dan het apparaat in.',
  },
  'account.appPasswords.new.title': 'Een app-wachtwoord maken',
  'account.appPasswords.new.hint':
    'Het apparaat waarop je het gebruikt, bijvoorbeeld ‘Telefoon’ of ‘Werklaptop’. Eén app-wachtwoord per apparaat, niet per app.',
  'account.appPasswords.new.more': 'Meer opties',
  'account.appPasswords.new.expires': 'Verloopt',
  'account.appPasswords.new.inDays': { one: 'Over {count} dag', other: 'Over {count} dagen' },
  'account.appPasswords.new.inAYear': 'Over een jaar',
  'account.appPasswords.new.scopes': 'Alleen voor deze soorten apps',
  'account.appPasswords.new.scopesHint': 'Vink niets aan om elke soort toe te staan.',
  'account.appPasswords.created.title': 'Je nieuwe app-wachtwoord',
  'account.appPasswords.created.heading': 'App-wachtwoord voor {label}',
  'account.appPasswords.created.lead':
    'Typ of plak het in de app op dat apparaat, waar die om je wachtwoord vraagt. Spaties maken niet uit.',
  'account.appPasswords.created.once':
    'Je ziet het maar één keer. Je hoeft het niet te onthouden: heb je er later weer een nodig, maak dan een nieuw.',
  'account.appPasswords.delete.title': 'App-wachtwoord verwijderen',
  'account.appPasswords.delete.question': '‘{label}’ verwijderen?',
  'account.appPasswords.delete.lead':
    'Apps die het gebruiken, kunnen zich meteen niet meer aanmelden. Je kunt later een nieuw maken.',
  'account.appPasswords.deleted.title': 'App-wachtwoord verwijderd',
  'account.appPasswords.deleted.lead':
    'Het werkt nergens meer. Heeft een apparaat nog toegang nodig, maak er dan een nieuw app-wachtwoord voor.',
  'account.appPasswords.notFound.title': 'App-wachtwoord niet gevonden',
  'account.appPasswords.notFound.message': 'Misschien is het al verwijderd. Er is niets gewijzigd.',

  'account.services.mail': 'e-mail',
  'account.services.calendars': 'agenda’s',
  'account.services.contacts': 'contacten',
  'account.apple.title': 'Een iPhone, iPad of Mac instellen',
  'account.apple.offer':
    'Download een profiel dat {services} instelt op een Apple-apparaat, met een nieuw app-wachtwoord erin: je hoeft niets te typen of te plakken.',
  'account.apple.notOffered':
    'Je organisatie heeft nog geen servers voor e-mail, agenda’s of contacten ingesteld voor apparaten.',
  'account.apple.lead':
    'Download een configuratieprofiel dat {services} instelt op het apparaat en open het daar om het te installeren (op een iPhone of iPad: Instellingen → Profiel gedownload).',
  'account.apple.warning':
    'Het bestand bevat een nieuw app-wachtwoord voor dit apparaat. Je krijgt het één keer: download het op het apparaat zelf of stuur het er privé naartoe, en verwijder het bestand zodra het profiel is geïnstalleerd. Wie het bestand heeft, kan deze accounts als jou gebruiken tot je het app-wachtwoord verwijdert.',
  'account.apple.device': 'Naam van het apparaat',
  'account.apple.deviceHint':
    'Bijvoorbeeld ‘iPhone’ of ‘Mac werk’. Het app-wachtwoord krijgt deze naam; verwijder het om de accounts op het apparaat uit te schakelen.',
  'account.apple.download': 'Profiel downloaden',
  'account.apple.used.title': 'Profiel al gedownload',
  'account.apple.used.heading': 'Dit profiel is al gedownload',
  'account.apple.used.message':
    'Elk profiel wordt één keer aangeboden, en dit profiel is al gedownload. Is het niet op het apparaat aangekomen, verwijder dan het app-wachtwoord ervan en stel het apparaat opnieuw in.',
  'account.apple.expired.heading': 'Dit formulier is verlopen',
  'account.apple.expired.message': 'Er is niets gemaakt. Stel het apparaat opnieuw in.',
  'account.apple.again': 'Een apparaat instellen',

  'account.password.title': 'Wachtwoord wijzigen',
  'account.password.lead':
    'Met je accountwachtwoord meld je je aan op het web. Apps die niet om een tweede stap kunnen vragen, gebruiken app-wachtwoorden.',
  'account.password.current': 'Huidig wachtwoord',
  'account.password.hint': { one: 'Minstens {count} teken.', other: 'Minstens {count} tekens.' },
  'account.password.confirm': 'Typ het nieuwe wachtwoord nog een keer',
  'account.password.revokeForced':
    'Je app-wachtwoorden worden ook verwijderd: je organisatie vereist dat. Maak daarna nieuwe voor je apparaten.',
  'account.password.revoke': 'Ook mijn app-wachtwoorden verwijderen',
  'account.password.revokeHint':
    'Aangeraden als iemand anders je wachtwoord kan kennen: elke app heeft dan een nieuw app-wachtwoord nodig.',
  'account.password.submit': 'Wachtwoord wijzigen',

  'account.signIns.title': 'Recente aanmeldingen',
  'account.signIns.lead': {
    one: 'Je laatste aanmelding, op het web of vanuit een app. Herken je iets niet? Wijzig je wachtwoord en verwijder je app-wachtwoorden.',
    other:
      'Je laatste {count} aanmeldingen, op het web en vanuit apps. Herken je iets niet? Wijzig je wachtwoord en verwijder je app-wachtwoorden.',
  },
  'account.signIns.caption': 'Je recente aanmeldingen',
  'account.signIns.when': 'Wanneer',
  'account.signIns.what': 'Wat er gebeurde',
  'account.signIns.from': 'Vanaf',
  'account.signIns.result': 'Resultaat',
  'account.signIns.accepted': 'Gelukt',
  'account.signIns.refused': 'Geweigerd',
  'account.signIns.empty': 'Nog geen aanmeldingen.',

  'account.help.title': 'Help',
  'account.help.appPasswords.heading': 'Als je app-wachtwoorden niet werken',
  'account.help.appPasswords.retype.title': 'Typ het opnieuw.',
  'account.help.appPasswords.retype.body':
    'Neem het precies over; spaties en hoofdletters maken niet uit. Controleer of je het hebt ingevuld waar de app om het wachtwoord vraagt, met je gewone gebruikersnaam.',
  'account.help.appPasswords.new.title': 'Maak een nieuw app-wachtwoord.',
  'account.help.appPasswords.new.body':
    'Je ziet een app-wachtwoord maar één keer. Heb je het niet meer, verwijder dan het oude bij {appPasswords} en maak een nieuw voor dat apparaat.',
  'account.help.appPasswords.signIns.title': 'Bekijk je recente aanmeldingen.',
  'account.help.appPasswords.signIns.body':
    'Bij {signIns} zie je waarom een app is geweigerd, bijvoorbeeld omdat die je accountwachtwoord gebruikte in plaats van een app-wachtwoord.',
  'account.help.appPasswords.helpdesk.title': 'Vraag het je helpdesk.',
  'account.help.appPasswords.helpdesk.body':
    'Die kan al je app-wachtwoorden verwijderen, zodat je opnieuw kunt beginnen met nieuwe.',
  'account.help.what.heading': 'Waarvoor zijn app-wachtwoorden?',
  'account.help.what.body':
    'Als verificatie in twee stappen aanstaat, kunnen apps die alleen om een wachtwoord kunnen vragen — mail-apps met IMAP of SMTP, agenda- en contacten-apps, oudere Exchange-apps — je geen tweede stap laten zien. Een app-wachtwoord is een lang wachtwoord dat Latchkey voor één apparaat maakt. Het werkt alleen in apps, nooit op de aanmeldpagina op het web, en je kunt het altijd verwijderen zonder je accountwachtwoord te wijzigen.',
  'account.help.lost.heading': 'Als je je telefoon of beveiligingssleutel kwijt bent',
  'account.help.lost.body':
    'Meld je aan met een van je herstelcodes, verwijder dan de verloren methode bij {security} en voeg een nieuwe toe. Geen herstelcodes meer? Je helpdesk kan je vragen verificatie in twee stappen opnieuw in te stellen.',
  // ── end account ──

  // ── Administration, people: admin/index, users, user, import, shared, forms ──
  'admin.common.role.user': 'Gebruiker',
  'admin.common.role.helpdesk': 'Helpdesk',
  'admin.common.role.admin': 'Beheerder',
  'admin.common.state.disabled': 'Uit',
  'admin.common.state.enabled': 'Aan, nog niet ingesteld',
  'admin.common.state.enforced': 'Aan',
  'admin.common.stateOption.disabled': 'Uit',
  'admin.common.stateOption.enabled': 'Aan: instellen bij de volgende aanmelding op het web',
  'admin.common.stateOption.enforced': 'Aan en verplicht (apps hebben app-wachtwoorden nodig)',
  'admin.common.status.active': 'Actief',
  'admin.common.status.disabled': 'Uitgeschakeld',
  'admin.common.reason.invalidCredentials': 'Verkeerd wachtwoord',
  'admin.common.reason.unknownUser': 'Onbekende gebruiker',
  'admin.common.reason.userDisabled': 'Account uitgeschakeld',
  'admin.common.reason.appPasswordRequired': 'App-wachtwoord vereist',
  'admin.common.reason.appPasswordsDisabled': 'App-wachtwoorden uitgezet',
  'admin.common.reason.appPasswordExpired': 'App-wachtwoord verlopen',
  'admin.common.reason.outOfScope': 'App-wachtwoord hier niet toegestaan',
  'admin.common.reason.lockedOut': 'Vergrendeld',
  'admin.common.reason.passwordChangeRequired': 'Eenmalig wachtwoord gebruikt in een app',
  'admin.common.reason.appPasswordInBrowser': 'App-wachtwoord ingevuld op het web',
  'admin.common.reason.twoStepFailed': 'Tweede stap mislukt',
  'admin.common.reason.throttled': 'Te veel pogingen vanaf dit adres',
  'admin.common.reason.consentRefused': 'De persoon koos Annuleren',
  'admin.common.reason.methodUnsupported': 'Aanmeldmethode niet ondersteund (CHAP, MS-CHAP, EAP)',
  'admin.common.credential.primary': 'Accountwachtwoord',
  'admin.common.credential.password': 'Alleen wachtwoord',
  'admin.common.credential.totp': 'Authenticator-app',
  'admin.common.credential.webauthn': 'Beveiligingssleutel of passkey',
  'admin.common.credential.recoveryCode': 'Herstelcode',
  'admin.common.credential.rememberedDevice': 'Onthouden apparaat',
  'admin.common.credential.oidcToken': 'OpenID Connect-token',
  'admin.common.counter.primaryFamiliar': 'Accountwachtwoord, vanaf bekende plekken',
  'admin.common.counter.primaryUnfamiliar': 'Accountwachtwoord, vanaf onbekende plekken',
  'admin.common.counter.appFamiliar': 'App-wachtwoorden, vanaf bekende plekken',
  'admin.common.counter.appUnfamiliar': 'App-wachtwoorden, vanaf onbekende plekken',
  'admin.common.counter.twoStepFamiliar': 'Tweede stap op het web, vanaf bekende plekken',
  'admin.common.counter.twoStepUnfamiliar': 'Tweede stap op het web, vanaf onbekende plekken',
  'admin.common.setting.allowAppPasswords':
    'Gebruikers mogen app-wachtwoorden maken om zich aan te melden bij apps buiten de browser',
  'admin.common.setting.maxAppPasswordsPerUser': 'Maximumaantal app-wachtwoorden per gebruiker',
  'admin.common.setting.revokeAppPasswordsOnPasswordChange':
    'App-wachtwoorden verwijderen als een wachtwoord wordt gewijzigd of opnieuw ingesteld',
  'admin.common.setting.autoRevokeUnusedAppPasswordsDays':
    'App-wachtwoorden verwijderen die zoveel dagen niet zijn gebruikt',
  'admin.common.setting.requireAppPasswordsForNonBrowser':
    'App-wachtwoorden verplicht voor elke app buiten de browser',
  'admin.common.setting.requireTwoStepForEveryone': 'Verificatie in twee stappen verplicht voor iedereen',
  'admin.common.setting.rememberDeviceDays': 'Dagen dat een browser de tweede stap mag overslaan',
  'admin.common.setting.lockoutThreshold': 'Mislukte pogingen voordat een account wordt vergrendeld',
  'admin.common.setting.lockoutSeconds': 'Eerste vergrendeling, in seconden',
  'admin.common.setting.sessionLifetimeMinutes': 'Duur van een browsersessie, in minuten',
  'admin.common.setting.signInLogRetentionDays': 'Aanmeldgebeurtenissen zoveel dagen bewaren',
  'admin.common.setting.organizationName': 'Naam van de organisatie',
  'admin.common.setting.mailDomains': 'Maildomeinen',
  'admin.common.setting.mailLoginName': 'Apps melden zich aan met',
  'admin.common.setting.imapHost': 'IMAP-server',
  'admin.common.setting.imapPort': 'IMAP-poort',
  'admin.common.setting.imapSecurity': 'IMAP-beveiliging',
  'admin.common.setting.smtpHost': 'SMTP-server',
  'admin.common.setting.smtpPort': 'SMTP-poort',
  'admin.common.setting.smtpSecurity': 'SMTP-beveiliging',
  'admin.common.setting.calDavUrl': 'CalDAV-adres',
  'admin.common.setting.cardDavUrl': 'CardDAV-adres',
  'admin.common.enum.address': 'het e-mailadres',
  'admin.common.enum.username': 'de gebruikersnaam',
  'admin.common.enum.ssl': 'SSL/TLS (vanaf het begin)',
  'admin.common.enum.starttls': 'STARTTLS',
  'admin.common.settingGroup.appPasswords': 'App-wachtwoorden',
  'admin.common.settingGroup.twoStep': 'Verificatie in twee stappen',
  'admin.common.settingGroup.lockout': 'Vergrendeling',
  'admin.common.settingGroup.sessions': 'Sessies en logboeken',
  'admin.common.settingGroup.mail': "Mail, agenda's en contactpersonen op apparaten",
  'admin.common.cancel': 'Annuleren',
  'admin.common.close': 'Sluiten',
  'admin.common.back': 'Terug',
  'admin.common.yes': 'Ja',
  'admin.common.no': 'Nee',
  'admin.common.none': 'geen',
  'admin.common.nothingChanged': 'Er is niets gewijzigd.',
  'admin.common.oneTimePasswordFor': 'Eenmalig wachtwoord voor {username}',
  'admin.common.head.username': 'Gebruikersnaam',
  'admin.common.head.displayName': 'Weergavenaam',
  'admin.common.head.email': 'E-mail',
  'admin.common.head.role': 'Rol',
  'admin.common.head.twoStep': 'Twee stappen',
  'admin.common.head.status': 'Status',
  'admin.common.twoStep': 'Verificatie in twee stappen',
  'admin.error.title.badRequest': 'Controleer wat je hebt ingevuld',
  'admin.error.title.forbidden': 'Dit mag je niet doen',
  'admin.error.title.notFound': 'Niet gevonden',
  'admin.error.title.conflict': 'Dit kan nu niet',
  'admin.error.title.gone': 'Deze pagina is verlopen',
  'admin.error.title.other': 'Er klopt iets niet',
  'admin.error.helpdeskLimits':
    'De helpdesk kan gebruikers opzoeken en gewone gebruikers helpen met aanmelden; instellingen, rollen, tokens en wijzigingen aan accounts van medewerkers zijn voor beheerders.',
  'admin.error.backToUsers': 'Terug naar gebruikers',
  'admin.error.staffOnly.title': 'Deze pagina is voor beheerders',
  'admin.error.staffOnly.message': "De beheerpagina's zijn voor beheerders en de helpdesk.",
  'admin.error.noPage.heading': 'Deze pagina bestaat niet',
  'admin.error.noPage.lead': 'Controleer het adres, of begin opnieuw bij de lijst met gebruikers.',
  'admin.users.title': 'Gebruikers',
  'admin.users.lead': {
    one: '{count} account in Latchkey. Open een gebruiker om de aanmeldingen en app-wachtwoorden te zien, of om te helpen.',
    other:
      '{count} accounts in Latchkey. Open een gebruiker om de aanmeldingen en app-wachtwoorden te zien, of om te helpen.',
  },
  'admin.users.create': 'Gebruiker maken',
  'admin.users.import': 'Gebruikers importeren uit CSV',
  'admin.users.search.form': 'Gebruikers zoeken',
  'admin.users.search.label': 'Zoeken',
  'admin.users.search.hint': 'Het begin van een gebruikersnaam of e-mailadres.',
  'admin.users.search.submit': 'Zoeken',
  'admin.users.search.everyone': 'Iedereen tonen',
  'admin.users.caption.matching': 'Gebruikers die passen bij “{search}”',
  'admin.users.caption.all': 'Gebruikers, op gebruikersnaam',
  'admin.users.requiredForEveryone': '(verplicht voor iedereen)',
  'admin.users.empty.matching': 'Geen gebruikersnaam of e-mailadres begint met “{search}”.',
  'admin.users.empty.all': 'Er zijn nog geen gebruikers.',
  'admin.users.pager': "Pagina's met gebruikers",
  'admin.users.pager.first': 'Eerste pagina',
  'admin.users.pager.next': 'Volgende pagina',
  'admin.users.new.lead':
    'Latchkey maakt een eenmalig wachtwoord voor de nieuwe gebruiker. Je ziet het één keer, op de volgende pagina, en geeft het door. Bij de eerste aanmelding op het web kiest de gebruiker een eigen wachtwoord.',
  'admin.users.new.username.hint':
    'Wat de gebruiker typt om zich aan te melden, en ook de inlognaam voor mail: letters, cijfers, punten, streepjes en underscores.',
  'admin.users.new.email.label': 'E-mailadres (optioneel)',
  'admin.users.new.displayName.label': 'Weergavenaam (optioneel)',
  'admin.users.new.displayName.hint': 'De naam zoals mensen die lezen, bijvoorbeeld "Anne de Vries".',
  'admin.users.new.role.hint':
    'Gebruikers beheren hun eigen account. De helpdesk helpt gebruikers; beheerders kunnen alles wijzigen.',
  'admin.users.created.title': 'Gebruiker gemaakt',
  'admin.users.created.heading': '{name} kan zich nu aanmelden',
  'admin.users.created.lead':
    'Geef {name} de gebruikersnaam, {username}, en dit eenmalige wachtwoord — persoonlijk of telefonisch, niet per e-mail. Bij de eerste aanmelding op het web kiest {name} een eigen wachtwoord, en dan werkt dit wachtwoord niet meer.',
  'admin.users.created.once':
    'Dit is de enige keer dat het wordt getoond. Raakt het kwijt, stel het wachtwoord dan opnieuw in op de pagina van de gebruiker om een nieuw te krijgen.',
  'admin.users.created.another': 'Nog een gebruiker maken',

  'admin.import.title': 'Gebruikers importeren',
  'admin.import.lead':
    'Maak of wijzig veel gebruikers tegelijk vanuit een CSV-bestand. Eerst wordt elke regel gecontroleerd: klopt er één niet, dan wordt er niets geïmporteerd. Hetzelfde bestand nog een keer importeren verandert niets.',
  'admin.import.failed.title': 'Er is niets geïmporteerd',
  'admin.import.failed.body': {
    one: '{count} regel moet worden verbeterd. Het bestand wordt helemaal geïmporteerd of helemaal niet.',
    other:
      '{count} regels moeten worden verbeterd. Het bestand wordt helemaal geïmporteerd of helemaal niet.',
  },
  'admin.import.failed.caption': 'Te verbeteren regels',
  'admin.import.failed.line': 'Regel',
  'admin.import.failed.problem': 'Probleem',
  'admin.import.done.title': 'Import voltooid',
  'admin.import.done.created': { one: '{count} gebruiker gemaakt', other: '{count} gebruikers gemaakt' },
  'admin.import.done.updated': {
    one: '{count} gebruiker bijgewerkt',
    other: '{count} gebruikers bijgewerkt',
  },
  'admin.import.done.unchanged': {
    one: '{count} gebruiker ongewijzigd',
    other: '{count} gebruikers ongewijzigd',
  },
  'admin.import.done.newUsers':
    'Nieuwe gebruikers hebben nog geen wachtwoord: stel het opnieuw in op hun pagina om ze een eenmalig wachtwoord te geven.',
  'admin.import.csv.label': 'CSV',
  'admin.import.csv.hint':
    'Plak het bestand. De eerste regel noemt de kolommen, uit {columns}; {username} is verplicht. Rollen zijn user, helpdesk of admin; twee stappen is disabled, enabled of enforced. Een lege cel laat die waarde zoals ze is. Hier tot 2 MB; grotere bestanden met {command}.',
  'admin.import.submit': 'Importeren',
  'admin.import.error.empty': 'Plak eerst de CSV-tekst.',
  'admin.import.error.invalid': '{message} Er is niets geïmporteerd.',
  'admin.user.done.disabled':
    'Het account van {name} is uitgeschakeld. {name} is overal afgemeld en elke app wordt geweigerd.',
  'admin.user.done.enabled': 'Het account van {name} is weer ingeschakeld.',
  'admin.user.done.twoStep': 'Verificatie in twee stappen voor {name} is gewijzigd.',
  'admin.user.done.twoStepOff': {
    '=0': 'Verificatie in twee stappen voor {name} staat uit.',
    one: 'Verificatie in twee stappen voor {name} staat uit. {count} app-wachtwoord verwijderd.',
    other: 'Verificatie in twee stappen voor {name} staat uit. {count} app-wachtwoorden verwijderd.',
  },
  'admin.user.done.role': 'De rol van {name} is gewijzigd.',
  'admin.user.done.reregister': {
    one: '{name} stelt verificatie in twee stappen opnieuw in bij de volgende aanmelding op het web. {count} methode verwijderd.',
    other:
      '{name} stelt verificatie in twee stappen opnieuw in bij de volgende aanmelding op het web. {count} methoden verwijderd.',
  },
  'admin.user.done.devicesForgotten': {
    one: '{count} onthouden apparaat van {name} vraagt weer om de tweede stap.',
    other: '{count} onthouden apparaten van {name} vragen weer om de tweede stap.',
  },
  'admin.user.done.appPasswordsDeleted': {
    one: '{count} app-wachtwoord van {name} verwijderd. Het werkt meteen niet meer; {name} kan nieuwe maken.',
    other:
      '{count} app-wachtwoorden van {name} verwijderd. Ze werken meteen niet meer; {name} kan nieuwe maken.',
  },
  'admin.user.done.unlocked': {
    '=0': '{name} was niet vergrendeld.',
    one: 'Het account van {name} is ontgrendeld: {count} teller van mislukte pogingen gewist.',
    other: 'Het account van {name} is ontgrendeld: {count} tellers van mislukte pogingen gewist.',
  },
  'admin.user.done.unchanged': 'Er is niets gewijzigd: dat was de instelling al.',
  'admin.user.done.appGone':
    'Die app had al geen toegang meer tot het account van {name}. Er is niets gewijzigd.',
  'admin.user.done.appRemoved':
    '{app} heeft geen toegang meer tot het account van {name}. De tokens van de app werken meteen niet meer.',

  'admin.user.disable.title': 'Account uitschakelen',
  'admin.user.disable.already': 'Het account is al uitgeschakeld.',
  'admin.user.disable.self': 'Je eigen account kun je hier niet uitschakelen.',
  'admin.user.disable.question': 'Het account van {name} uitschakelen?',
  'admin.user.disable.detail':
    '{name} wordt in elke browser afgemeld, en elke aanmelding — op het web en vanuit elke app — wordt geweigerd tot een beheerder het account weer inschakelt. Er wordt niets verwijderd.',
  'admin.user.disable.yes': 'Ja, uitschakelen',
  'admin.user.enable.title': 'Account inschakelen',
  'admin.user.enable.question': 'Het account van {name} inschakelen?',
  'admin.user.resetPassword.title': 'Wachtwoord opnieuw instellen',
  'admin.user.resetPassword.self': 'Je eigen wachtwoord wijzig je bij Wachtwoord in je account.',
  'admin.user.resetPassword.question': 'Het wachtwoord van {name} opnieuw instellen?',
  'admin.user.resetPassword.detail':
    'Het huidige wachtwoord werkt meteen niet meer en de gebruiker wordt in elke browser afgemeld. Je krijgt een eenmalig wachtwoord om door te geven; bij de volgende aanmelding op het web kiest de gebruiker een nieuw wachtwoord.',
  'admin.user.resetPassword.detailApps': {
    one: 'Ook het app-wachtwoord van de gebruiker wordt verwijderd, zoals je organisatie vereist: de app heeft dan een nieuw nodig.',
    other:
      'Ook de {count} app-wachtwoorden van de gebruiker worden verwijderd, zoals je organisatie vereist: de apps hebben dan nieuwe nodig.',
  },
  'admin.user.resetPassword.yes': 'Ja, opnieuw instellen',
  'admin.user.resetPassword.done.title': 'Wachtwoord opnieuw ingesteld',
  'admin.user.resetPassword.done.heading': 'Eenmalig wachtwoord voor {name}',
  'admin.user.resetPassword.done.lead':
    'Geef het persoonlijk of telefonisch aan {name} — niet per e-mail. Bij de volgende aanmelding op het web kiest {name} een nieuw wachtwoord, en dan werkt dit wachtwoord niet meer.',
  'admin.user.resetPassword.done.once':
    'Dit is de enige keer dat het wordt getoond. Raakt het kwijt, stel het wachtwoord dan nog eens opnieuw in.',
  'admin.user.resetPassword.done.appsDeleted': {
    one: '{count} app-wachtwoord is met het oude wachtwoord verwijderd. Na het aanmelden maakt {name} een nieuw.',
    other:
      '{count} app-wachtwoorden zijn met het oude wachtwoord verwijderd. Na het aanmelden maakt {name} nieuwe voor de apparaten.',
  },
  'admin.user.twoStep.title': 'Verificatie in twee stappen wijzigen',
  'admin.user.twoStep.question.disabled': 'Verificatie in twee stappen uitzetten voor {name}?',
  'admin.user.twoStep.question.enabled': 'Verificatie in twee stappen aanzetten voor {name}?',
  'admin.user.twoStep.question.enforced': 'Verificatie in twee stappen verplicht maken voor {name}?',
  'admin.user.twoStep.off.everyone':
    'Je organisatie vereist verificatie in twee stappen voor iedereen, dus in de praktijk blijft het aan.',
  'admin.user.twoStep.off.appsRequired':
    '{name} meldt zich op het web aan met alleen het wachtwoord. Apps hebben nog steeds app-wachtwoorden nodig, omdat je organisatie die voor elke app vereist.',
  'admin.user.twoStep.off.plain':
    '{name} meldt zich op het web aan met alleen het wachtwoord, en apps gebruiken weer het accountwachtwoord.',
  'admin.user.twoStep.off.appsStay': {
    one: 'Het app-wachtwoord van {name} blijft bestaan.',
    other: 'De {count} app-wachtwoorden van {name} blijven bestaan.',
  },
  'admin.user.twoStep.off.appsDeleted': {
    one: 'Het app-wachtwoord van {name} wordt verwijderd: apps die het gebruiken kunnen zich pas weer aanmelden als ze het accountwachtwoord krijgen.',
    other:
      'De {count} app-wachtwoorden van {name} worden verwijderd: apps die ze gebruiken kunnen zich pas weer aanmelden als ze het accountwachtwoord krijgen.',
  },
  'admin.user.twoStep.on.noMethod':
    '{name} heeft nog geen verificatiemethode en stelt er een in bij de volgende aanmelding op het web.',
  'admin.user.twoStep.on.enabled':
    'Bij de volgende aanmelding op het web wordt {name} om een tweede stap gevraagd.',
  'admin.user.twoStep.on.enabledApps': 'Tot dan blijven apps werken met het accountwachtwoord.',
  'admin.user.twoStep.on.enforced':
    "Apps die het accountwachtwoord sturen — mail, agenda's, alles wat niet om een tweede stap kan vragen — worden geweigerd; die hebben app-wachtwoorden nodig.",
  'admin.user.role.title': 'Rol wijzigen',
  'admin.user.role.question.admin': '{name} beheerder maken?',
  'admin.user.role.question.helpdesk': '{name} helpdeskmedewerker maken?',
  'admin.user.role.question.user': '{name} een gewone gebruiker maken?',
  'admin.user.role.detail.admin':
    '{name} kan dan alles wijzigen: instellingen, rollen, API-tokens en elk account.',
  'admin.user.role.detail.helpdesk':
    '{name} kan dan gebruikers en aanmeldingen opzoeken en gewone gebruikers helpen: hun wachtwoord opnieuw instellen, hun account ontgrendelen, ze verificatie in twee stappen opnieuw laten instellen, onthouden apparaten intrekken en hun app-wachtwoorden verwijderen.',
  'admin.user.role.detail.user':
    "{name} beheert dan alleen het eigen account en ziet deze beheerpagina's niet meer.",
  'admin.user.reregister.title': 'Verificatie in twee stappen opnieuw instellen',
  'admin.user.reregister.off':
    'Verificatie in twee stappen staat uit voor dit account: er is niets om opnieuw in te stellen.',
  'admin.user.reregister.question': '{name} verificatie in twee stappen opnieuw laten instellen?',
  'admin.user.reregister.detail': {
    '=0': 'De herstelcodes en de onthouden apparaten van {name} worden verwijderd, en {name} wordt in elke browser afgemeld. Bij de volgende aanmelding op het web stelt {name} een nieuwe methode in — handig als een telefoon of beveiligingssleutel kwijt is. App-wachtwoorden blijven werken.',
    one: 'De verificatiemethode van {name}, de herstelcodes en de onthouden apparaten worden verwijderd, en {name} wordt in elke browser afgemeld. Bij de volgende aanmelding op het web stelt {name} een nieuwe methode in — handig als een telefoon of beveiligingssleutel kwijt is. App-wachtwoorden blijven werken.',
    other:
      'De {count} verificatiemethoden van {name}, de herstelcodes en de onthouden apparaten worden verwijderd, en {name} wordt in elke browser afgemeld. Bij de volgende aanmelding op het web stelt {name} een nieuwe methode in — handig als een telefoon of beveiligingssleutel kwijt is. App-wachtwoorden blijven werken.',
  },
  'admin.user.reregister.yes': 'Ja, methoden verwijderen',
  'admin.user.reregister.button': 'Opnieuw laten instellen',
  'admin.user.forgetDevices.title': 'Onthouden apparaten intrekken',
  'admin.user.forgetDevices.question': {
    one: 'Het onthouden apparaat van {name} intrekken?',
    other: 'De {count} onthouden apparaten van {name} intrekken?',
  },
  'admin.user.forgetDevices.detail':
    'Browsers waarin {name} koos om het apparaat te onthouden, vragen bij de volgende aanmelding weer om de tweede stap. Verder verandert er niets aan het account.',
  'admin.user.deleteApps.title': 'Alle app-wachtwoorden verwijderen',
  'admin.user.deleteApps.none': '{name} heeft geen app-wachtwoorden.',
  'admin.user.deleteApps.question.one': 'Het app-wachtwoord van {name} verwijderen?',
  'admin.user.deleteApps.question.two': 'Beide app-wachtwoorden van {name} verwijderen?',
  'admin.user.deleteApps.question.all': 'Alle {count} app-wachtwoorden van {name} verwijderen?',
  'admin.user.deleteApps.detail':
    'De mail-apps en andere apps van {name} kunnen zich meteen niet meer aanmelden, tot {name} in het eigen account nieuwe app-wachtwoorden maakt. Verder verandert er niets aan het account.',
  'admin.user.deleteApps.yes': 'Ja, verwijderen',
  'admin.user.unlock.title': 'Ontgrendelen',
  'admin.user.unlock.question': '{name} ontgrendelen?',
  'admin.user.unlock.button': 'Nu ontgrendelen',

  'admin.user.self': 'Dit is je eigen account. Je wachtwoord en methoden wijzig je bij {link}.',
  'admin.user.change': 'Wijzigen…',
  'admin.user.account.title': 'Account',
  'admin.user.account.password': 'Wachtwoord',
  'admin.user.account.created': 'Gemaakt',
  'admin.user.password.notSet':
    'Niet ingesteld: de gebruiker kan zich pas op het web aanmelden als het opnieuw is ingesteld.',
  'admin.user.password.oneTime':
    'Eenmalig wachtwoord: bij de volgende aanmelding op het web kiest de gebruiker een eigen wachtwoord.',
  'admin.user.password.set': 'Ingesteld',
  'admin.user.twoStep.state': 'Status',
  'admin.user.twoStep.requiredByOrg':
    '(door de organisatie verplicht voor iedereen; de eigen instelling van het account is {state})',
  'admin.user.twoStep.recoveryCodes': 'Herstelcodes',
  'admin.user.twoStep.recoveryNone': 'Geen',
  'admin.user.twoStep.recoveryUnused': '{unused} van {total} ongebruikt',
  'admin.user.twoStep.rememberedDevices': 'Onthouden apparaten',
  'admin.user.methods.caption': 'Verificatiemethoden',
  'admin.user.methods.name': 'Naam',
  'admin.user.methods.type': 'Type',
  'admin.user.methods.added': 'Toegevoegd',
  'admin.user.methods.lastUsed': 'Laatst gebruikt',
  'admin.user.methods.default': 'Standaard',
  'admin.user.methods.empty': 'Geen verificatiemethode geregistreerd.',
  'admin.user.appPasswords.title': 'App-wachtwoorden',
  'admin.user.appPasswords.note':
    'Alleen namen en datums: niemand kan een app-wachtwoord nog zien nadat het is gemaakt.',
  'admin.user.appPasswords.turnedOff':
    'App-wachtwoorden staan uit voor de organisatie: deze blijven bewaard, maar worden geweigerd.',
  'admin.user.appPasswords.caption': 'App-wachtwoorden van {username}',
  'admin.user.appPasswords.name': 'Naam',
  'admin.user.appPasswords.created': 'Gemaakt',
  'admin.user.appPasswords.lastUsed': 'Laatst gebruikt',
  'admin.user.appPasswords.lastUsedFrom': 'Laatst gebruikt vanaf',
  'admin.user.appPasswords.expires': 'Verloopt',
  'admin.user.appPasswords.onlyFor': 'Alleen voor',
  'admin.user.appPasswords.everyApp': 'Elk soort app',
  'admin.user.apps.title': 'Apps met toegang',
  'admin.user.apps.note':
    'Apps waarbij {name} zich met dit account heeft aangemeld (OpenID Connect), en wat elke app mag zien.',
  'admin.user.apps.caption': 'Apps met toegang tot het account van {username}',
  'admin.user.apps.empty': 'Geen enkele app heeft toegang tot het account van {name}.',
  'admin.user.apps.remove.title': 'Toegang van app intrekken',
  'admin.user.apps.remove.question': 'De toegang van {app} tot het account van {name} intrekken?',
  'admin.user.apps.remove.yes': 'Ja, intrekken',
  'admin.user.lockout.title': 'Vergrendeling',
  'admin.user.lockout.locked':
    'Vergrendeld tot {time} voor sommige bronnen (zie hieronder). De vergrendeling vervalt vanzelf.',
  'admin.user.lockout.noFailures': 'Geen recente mislukte pogingen.',
  'admin.user.lockout.notLocked': 'Niet vergrendeld.',
  'admin.user.lockout.caption': 'Tellers van mislukte pogingen',
  'admin.user.lockout.counter': 'Teller',
  'admin.user.lockout.failures': 'Mislukte pogingen',
  'admin.user.lockout.lockedUntil': 'Vergrendeld tot',
  'admin.user.lockout.inARow': 'Vergrendelingen op rij',
  'admin.user.lockout.notLockedCell': 'Niet vergrendeld',
  'admin.user.lockout.empty': 'Geen tellers van mislukte pogingen.',
  'admin.user.signIns.title': 'Recente aanmeldingen',
  'admin.user.signIns.caption': 'De laatste 20 aanmeldingen van {username}',
  'admin.user.signIns.when': 'Wanneer',
  'admin.user.signIns.what': 'Wat er gebeurde',
  'admin.user.signIns.from': 'Vanaf',
  'admin.user.signIns.result': 'Resultaat',
  'admin.user.signIns.success': 'Gelukt',
  'admin.user.signIns.refused': 'Geweigerd',
  'admin.user.signIns.empty': 'Nog geen aanmeldingen.',
  'admin.user.signIns.all': 'Alle aanmeldingen van {username}',
  'admin.user.signIns.audit': 'Wijzigingen aan {username} (auditlogboek)',
  // ── end admin-people ──

  // ── Administration, the rest: settings, sign-ins, audit, tokens, clients, radius, overview, charts ──
  // Grafieken (charts.ts): de titel van een staaf, gevuld met de woorden van de pagina.
  'charts.segment': '{column}: {series}, {amount}',
  'charts.bar': '{label}: {amount}',
  'charts.share': '{label}: {percent} ({number})',

  // Het overzicht (admin/overview.ts).
  'admin.overview.title': 'Overzicht',
  'admin.overview.lead': {
    one: 'De afgelopen dag, vanaf {since} (00:00 UTC) tot nu. Uren en dagen zijn in UTC.',
    other: 'De afgelopen {count} dagen, vanaf {since} (00:00 UTC) tot nu. Uren en dagen zijn in UTC.',
  },
  'admin.overview.stats': { one: 'De dag in cijfers', other: 'De {count} dagen in cijfers' },
  'admin.overview.stat.accepted': 'Geslaagde aanmeldingen',
  'admin.overview.stat.refused': 'Geweigerde aanmeldingen',
  'admin.overview.stat.lockedOut': 'Vergrendeld',
  'admin.overview.stat.attempts': { one: '{count} poging geweigerd', other: '{count} pogingen geweigerd' },
  'admin.overview.stat.appPasswords': 'App-wachtwoorden',
  'admin.overview.stat.appPasswordsValue': '+{created} / −{deleted}',
  'admin.overview.stat.appPasswordsDetail': 'gemaakt / verwijderd',
  'admin.overview.stat.primary': 'Apps met accountwachtwoord',
  'admin.overview.stat.accounts': { one: '{count} account', other: '{count} accounts' },
  'admin.overview.range': '{from} tot en met {to}, UTC',
  'admin.overview.desc': '{range}. {items}.',
  'admin.overview.descNone': '{range}. Geen.',
  'admin.overview.figure': '{label}: {number}',
  'admin.overview.none': 'Geen.',
  'admin.overview.colours': 'Kleuren',
  'admin.overview.accepted': 'Geslaagd',
  'admin.overview.refused': 'Geweigerd',
  'admin.overview.where': 'Waar',
  'admin.overview.day': 'Dag',
  'admin.overview.reason': 'Reden',
  'admin.overview.code': 'Code',
  'admin.overview.amount.accepted': { one: '{count} geslaagd', other: '{count} geslaagd' },
  'admin.overview.amount.refused': { one: '{count} geweigerd', other: '{count} geweigerd' },
  'admin.overview.amount.names': { one: '{count} naam', other: '{count} namen' },
  'admin.overview.amount.appPasswords': { one: '{count} app-wachtwoord', other: '{count} app-wachtwoorden' },
  'admin.overview.signIns.title': 'Aanmeldingen per uur',
  'admin.overview.signIns.leadEmpty': 'Op het web en vanuit apps, naar waar ze binnenkwamen.',
  'admin.overview.signIns.lead':
    'Op het web en vanuit apps, naar waar ze binnenkwamen. Een controle die een app herhaalt, telt elke keer mee.',
  'admin.overview.signIns.empty': {
    one: 'Geen aanmeldingen in deze {count} dag.',
    other: 'Geen aanmeldingen in deze {count} dagen.',
  },
  'admin.overview.signIns.legend': 'Kleuren: waar de aanmeldingen binnenkwamen',
  'admin.overview.signIns.acceptedChart': 'Geslaagde aanmeldingen per uur, per ingang: {total} in totaal',
  'admin.overview.signIns.refusedChart': 'Geweigerde aanmeldingen per uur, per ingang: {total} in totaal',
  'admin.overview.signIns.tables': 'Aanmeldingen per ingang en per dag, als tabellen',
  'admin.overview.signIns.byDoor': { one: 'Per ingang, {count} dag', other: 'Per ingang, {count} dagen' },
  'admin.overview.signIns.byDay': 'Per dag (UTC)',
  'admin.overview.reasons.title': 'Waarom aanmeldingen zijn geweigerd',
  'admin.overview.reasons.lead':
    'De meest voorkomende redenen eerst. Elke reden opent de bijbehorende weigeringen in het aanmeldlogboek.',
  'admin.overview.reasons.empty': {
    one: 'Niets geweigerd in deze {count} dag.',
    other: 'Niets geweigerd in deze {count} dagen.',
  },
  'admin.overview.reasons.chart': 'Geweigerde aanmeldingen per reden: {total} in totaal',
  'admin.overview.reasons.descItem': '{label} ({code}): {number}',
  'admin.overview.reasons.table': 'Redenen als tabel',
  'admin.overview.reasons.caption': 'Geweigerde aanmeldingen per reden',
  'admin.overview.lockouts.title': 'Vergrendelingen',
  'admin.overview.lockouts.lead':
    'Accounts (en namen zonder account) die zijn geweigerd omdat te veel pogingen mislukten, en hoeveel pogingen de vergrendeling heeft tegengehouden.',
  'admin.overview.lockouts.inLog': 'Bekijk ze in het aanmeldlogboek.',
  'admin.overview.lockouts.empty': {
    one: 'Geen vergrendelingen in deze {count} dag.',
    other: 'Geen vergrendelingen in deze {count} dagen.',
  },
  'admin.overview.lockouts.figures': '{names}, {attempts}',
  'admin.overview.lockouts.names': { one: '{count} naam vergrendeld', other: '{count} namen vergrendeld' },
  'admin.overview.lockouts.attempts': {
    one: '{count} poging geweigerd tijdens de vergrendeling',
    other: '{count} pogingen geweigerd tijdens de vergrendeling',
  },
  'admin.overview.lockouts.chart': 'Vergrendelde namen per dag',
  'admin.overview.lockouts.series': 'vergrendeld',
  'admin.overview.lockouts.table': 'Vergrendelingen per dag, als tabel',
  'admin.overview.lockouts.caption': 'Vergrendelingen per dag (UTC)',
  'admin.overview.lockouts.namesHead': 'Vergrendelde namen',
  'admin.overview.lockouts.attemptsHead': 'Pogingen geweigerd tijdens de vergrendeling',
  'admin.overview.appPasswords.title': 'App-wachtwoorden gemaakt en verwijderd',
  'admin.overview.appPasswords.lead':
    'Verwijderd telt elk app-wachtwoord dat is weggehaald: door de eigenaar, door de helpdesk, door een wachtwoordwijziging of omdat het niet meer werd gebruikt.',
  'admin.overview.appPasswords.empty': {
    one: 'Geen app-wachtwoord gemaakt of verwijderd in deze {count} dag.',
    other: 'Geen app-wachtwoord gemaakt of verwijderd in deze {count} dagen.',
  },
  'admin.overview.appPasswords.figures': '{created} gemaakt, {deleted} verwijderd',
  'admin.overview.appPasswords.created': 'Gemaakt',
  'admin.overview.appPasswords.deleted': 'Verwijderd',
  'admin.overview.appPasswords.chart':
    'App-wachtwoorden gemaakt en verwijderd per dag: {created} gemaakt, {deleted} verwijderd',
  'admin.overview.appPasswords.descItem': '{day}: {created} gemaakt, {deleted} verwijderd',
  'admin.overview.appPasswords.table': 'App-wachtwoorden per dag, als tabel',
  'admin.overview.appPasswords.caption': 'App-wachtwoorden per dag (UTC)',
  'admin.overview.primary.title': 'Apps die zich nog aanmelden met het accountwachtwoord',
  'admin.overview.primary.lead':
    'Apps voor mail, agenda, adresboek (LDAP), VPN en andere apps die geen verificatie in twee stappen kunnen doen, horen een app-wachtwoord te gebruiken, of OpenID Connect als de app dat kan. Deze mensen laten een app nog hun accountwachtwoord gebruiken.',
  'admin.overview.primary.empty': {
    one: 'In deze {count} dag heeft geen app zich aangemeld.',
    other: 'In deze {count} dagen heeft geen app zich aangemeld.',
  },
  'admin.overview.primary.account': 'Accountwachtwoord',
  'admin.overview.primary.appPassword': 'App-wachtwoord',
  'admin.overview.primary.token': 'OpenID Connect-token',
  'admin.overview.primary.sentence': {
    one: '{percent} van de geslaagde aanmeldingen vanuit apps ({primary} van {total}) gebruikte een accountwachtwoord, van {count} account.',
    other:
      '{percent} van de geslaagde aanmeldingen vanuit apps ({primary} van {total}) gebruikte een accountwachtwoord, van {count} accounts.',
  },
  'admin.overview.primary.chart':
    'Geslaagde aanmeldingen vanuit apps naar waarmee ze zich aanmeldden: {percent} accountwachtwoorden',
  'admin.overview.primary.descItem': '{label}: {number} ({percent})',
  'admin.overview.primary.captionTop': {
    one: 'Het account dat als laatste het accountwachtwoord in een app gebruikte (van {total})',
    other: 'De {count} accounts die als laatste hun accountwachtwoord in een app gebruikten (van {total})',
  },
  'admin.overview.primary.caption': 'Accounts die hun accountwachtwoord in apps gebruikten',
  'admin.overview.primary.user': 'Gebruiker',
  'admin.overview.primary.signIns': 'Aanmeldingen met het accountwachtwoord',
  'admin.overview.primary.through': 'Via',
  'admin.overview.primary.last': 'Laatst',
  'admin.overview.primary.nobody': 'Niemand: elke app meldt zich aan met een app-wachtwoord of een token.',
  'admin.overview.primary.note':
    'De meest recente eerst, niet de meest voorkomende. Elk aantal opent de aanmeldingen van die persoon in het logboek.',

  // Instellingen (admin/settings.ts): het label van elke instelling is admin.common.setting.*; de uitleg staat hier.
  'admin.settings.title': 'Instellingen',
  'admin.settings.lead':
    'Regels voor de hele organisatie. Wijzigingen gelden meteen, op elke server, en worden vastgelegd in het auditlogboek.',
  'admin.settings.notSaved': {
    one: 'Er is niets opgeslagen. Verbeter de instelling die hieronder is gemarkeerd.',
    other: 'Er is niets opgeslagen. Verbeter de {count} instellingen die hieronder zijn gemarkeerd.',
  },
  'admin.settings.saved': {
    '=0': 'Instellingen opgeslagen. Er was niets gewijzigd.',
    one: 'Instellingen opgeslagen: {count} wijziging.',
    other: 'Instellingen opgeslagen: {count} wijzigingen.',
  },
  'admin.settings.save': 'Instellingen opslaan',
  'admin.settings.discard': 'Wijzigingen negeren',
  'admin.settings.group.language': 'Taal en tijd',
  'admin.settings.group.other': 'Overige instellingen',
  'admin.settings.label.defaultLanguage': 'Standaardtaal',
  'admin.settings.label.timeZone': 'Tijdzone',
  'admin.settings.hint.allowAppPasswords':
    'Uit: er kunnen geen app-wachtwoorden worden gemaakt, en bestaande worden geweigerd maar niet verwijderd.',
  'admin.settings.hint.maxAppPasswordsPerUser':
    'Het hoogste aantal app-wachtwoorden dat één gebruiker mag hebben.',
  'admin.settings.hint.revokeAppPasswordsOnPasswordChange':
    'De app-wachtwoorden van een gebruiker worden verwijderd zodra het accountwachtwoord wordt gewijzigd of opnieuw ingesteld.',
  'admin.settings.hint.autoRevokeUnusedAppPasswordsDays': '0 = nooit.',
  'admin.settings.hint.requireAppPasswordsForNonBrowser':
    'Elke app buiten de browser weigert het accountwachtwoord, ook bij gebruikers zonder verificatie in twee stappen. Apps hebben dan altijd een app-wachtwoord nodig, dus die blijven bestaan als verificatie in twee stappen wordt uitgezet.',
  'admin.settings.hint.requireTwoStepForEveryone':
    'Bij elke gebruiker staat verificatie in twee stappen minstens aan (nog in te stellen). Zet je dit uit, dan gaat verificatie in twee stappen uit bij gebruikers bij wie het zelf uit staat, en worden hun app-wachtwoorden verwijderd, tenzij app-wachtwoorden verplicht zijn voor elke app buiten de browser.',
  'admin.settings.hint.lockoutThreshold':
    'Het aantal mislukte pogingen vanaf één bron waarna het account voor die bron wordt vergrendeld.',
  'admin.settings.hint.lockoutSeconds': 'Elke volgende keer duurt de vergrendeling twee keer zo lang.',
  'admin.settings.hint.rememberDeviceDays':
    'Nadat iemand "Niet meer vragen op dit apparaat" heeft aangevinkt; 0 = uit.',
  'admin.settings.hint.sessionLifetimeMinutes':
    'Zo lang blijft een browser aangemeld voordat opnieuw aanmelden nodig is.',
  'admin.settings.hint.signInLogRetentionDays':
    'Oudere gebeurtenissen worden uit het aanmeldlogboek verwijderd.',
  'admin.settings.hint.organizationName':
    'Zoals apparaten de naam tonen, bij het e-mailaccount en het profiel; leeg = het maildomein.',
  'admin.settings.hint.mailDomains':
    'De domeinen waarvoor de autoconfig- en Autodiscover-antwoorden gelden, gescheiden door komma’s (example.org, example.net); leeg = die antwoorden worden niet gegeven.',
  'admin.settings.hint.mailLoginName':
    'Waarmee apps voor mail, agenda en contacten zich aanmelden: het hele e-mailadres, of de gebruikersnaam in Latchkey (het deel voor de @, in autoconfig-antwoorden).',
  'admin.settings.hint.imapHost':
    'De hostnaam waar apparaten mail ophalen (mail.example.org); leeg = er wordt geen inkomende mail aangeboden.',
  'admin.settings.hint.imapPort': '993 voor SSL/TLS, 143 voor STARTTLS.',
  'admin.settings.hint.smtpHost':
    'De verzendserver waarlangs apparaten mail versturen (mail.example.org); leeg = er wordt geen uitgaande mail aangeboden.',
  'admin.settings.hint.smtpPort': '465 voor SSL/TLS, 587 voor STARTTLS.',
  'admin.settings.hint.security': 'Hoe de verbinding is beveiligd: TLS vanaf het begin, of STARTTLS.',
  'admin.settings.hint.calDavUrl':
    'De agendaserver (https://dav.example.org/); leeg = geen agenda-account in profielen.',
  'admin.settings.hint.cardDavUrl':
    'De contactenserver (https://dav.example.org/); leeg = geen contactenaccount in profielen.',
  'admin.settings.hint.defaultLanguage':
    'De taal van de pagina’s voor mensen die zelf geen taal hebben gekozen en van wie de browser om geen taal vraagt die Latchkey spreekt.',
  'admin.settings.hint.timeZone':
    'De tijdzone waarin de pagina’s datums en tijden tonen, als IANA-naam (Europe/Amsterdam); leeg = UTC.',
  'admin.settings.error.boolean': 'Vink het vakje aan of laat het leeg.',
  'admin.settings.error.integer': 'Vul een geheel getal in van {min} tot en met {max}.',
  'admin.settings.error.enum': 'Kies een van deze: {choices}.',
  'admin.settings.error.tooLong': {
    one: 'Gebruik maximaal {count} teken.',
    other: 'Gebruik maximaal {count} tekens.',
  },
  'admin.settings.error.text': 'Gebruik één regel gewone tekst.',
  'admin.settings.error.host':
    'Vul een hostnaam in, zoals mail.example.org (geen IP-adres, poort of protocol).',
  'admin.settings.error.domains':
    'Vul domeinnamen in, zoals example.org, gescheiden door komma’s (maximaal 50).',
  'admin.settings.error.url':
    'Vul een https-adres in, zoals https://dav.example.org/ (zonder gebruikersnaam, wachtwoord of #fragment).',
  'admin.settings.error.timeZone': 'Vul de naam van een tijdzone in, zoals Europe/Amsterdam of UTC.',

  // API-tokens (admin/tokens.ts).
  'admin.tokens.title': 'API-tokens',
  'admin.tokens.lead':
    'Programma’s en scripts gebruiken de beheer-API op {path} met een token: {header}. Een token heeft de rol die het heeft gekregen, wordt één keer getoond en werkt meteen niet meer als het is ingetrokken of verlopen.',
  'admin.tokens.create': 'API-token maken',
  'admin.tokens.head.name': 'Naam',
  'admin.tokens.head.role': 'Rol',
  'admin.tokens.head.created': 'Gemaakt',
  'admin.tokens.head.expires': 'Verloopt',
  'admin.tokens.head.lastUsed': 'Laatst gebruikt',
  'admin.tokens.head.status': 'Status',
  'admin.tokens.noName': 'Geen naam',
  'admin.tokens.by': 'door {name}',
  'admin.tokens.revoke': 'Intrekken',
  'admin.tokens.empty': 'Er zijn geen API-tokens.',
  'admin.tokens.status.revoked': 'Ingetrokken',
  'admin.tokens.status.expired': 'Verlopen',
  'admin.tokens.status.active': 'Actief',
  'admin.tokens.named': '‘{label}’',
  'admin.tokens.unnamed': 'token {id}',
  'admin.tokens.revoked': 'Het token is ingetrokken. Het werkt niet meer.',
  'admin.tokens.cancel': 'Annuleren',
  'admin.tokens.close': 'Sluiten',
  'admin.tokens.new.nameHint': 'Wat het gaat gebruiken, bijvoorbeeld ‘Script voor accounts’.',
  'admin.tokens.new.nameMissing': 'Geef het token een naam, zodat je later weet wat het gebruikt.',
  'admin.tokens.new.roleHelpdesk': 'Helpdesk: gebruikers opzoeken en gewone gebruikers helpen',
  'admin.tokens.new.roleAdmin': 'Beheerder: alles',
  'admin.tokens.new.roleHint': 'Kies de kleinste rol waarmee het werk kan worden gedaan.',
  'admin.tokens.new.in30': 'Over 30 dagen',
  'admin.tokens.new.in90': 'Over 90 dagen',
  'admin.tokens.new.inYear': 'Over een jaar',
  'admin.tokens.new.submit': 'Token maken',
  'admin.tokens.created.title': 'Je nieuwe API-token',
  'admin.tokens.created.heading': 'API-token {name}',
  'admin.tokens.created.lead':
    'Zet het waar het programma zijn geheimen bewaart, en stuur het mee als {header} gevolgd door het token.',
  'admin.tokens.created.expires': 'Token met de rol {role}, verloopt op {date}',
  'admin.tokens.created.neverExpires': 'Token met de rol {role}, verloopt nooit',
  'admin.tokens.created.copy': 'Token naar klembord kopiëren',
  'admin.tokens.created.once':
    'Dit is de enige keer dat het wordt getoond. Raakt het kwijt, trek het dan in en maak een nieuw token.',
  'admin.tokens.revokePage.title': 'API-token intrekken',
  'admin.tokens.revokePage.question': 'API-token {name} intrekken?',
  'admin.tokens.revokePage.detailUsed':
    'Programma’s die het gebruiken, worden vanaf hun volgende verzoek geweigerd. Het heeft de rol {role} en is voor het laatst gebruikt op {date}. Dit kan niet ongedaan worden gemaakt: een programma dat nog toegang nodig heeft, heeft een nieuw token nodig.',
  'admin.tokens.revokePage.detailNever':
    'Programma’s die het gebruiken, worden vanaf hun volgende verzoek geweigerd. Het heeft de rol {role} en is nooit gebruikt. Dit kan niet ongedaan worden gemaakt: een programma dat nog toegang nodig heeft, heeft een nieuw token nodig.',
  'admin.tokens.revokePage.yes': 'Ja, intrekken',
  'admin.tokens.revokePage.no': 'Nee',

  // Het auditlogboek (admin/audit.ts): één zin per wijziging, {who} deed het met {target}.
  'admin.audit.title': 'Auditlogboek',
  'admin.audit.lead':
    'Elke wijziging in Latchkey — door wie, bij wie, wanneer en vanaf waar — de nieuwste eerst. Het kan niet worden aangepast.',
  'admin.audit.filter': 'Het auditlogboek filteren',
  'admin.audit.target.label': 'Wijzigingen aan',
  'admin.audit.target.hint': 'Een gebruikersnaam, de naam van een instelling of token:ID.',
  'admin.audit.show': 'Tonen',
  'admin.audit.showAll': 'Alles tonen',
  'admin.audit.caption.older': 'Oudere wijzigingen',
  'admin.audit.caption.recent': {
    one: 'De meest recente wijziging',
    other: 'De {count} meest recente wijzigingen',
  },
  'admin.audit.caption.all': 'Wijzigingen',
  'admin.audit.head.when': 'Wanneer',
  'admin.audit.head.what': 'Wat er is gebeurd',
  'admin.audit.head.details': 'Details',
  'admin.audit.empty.target': 'Er is geen wijziging aan ‘{target}’ vastgelegd.',
  'admin.audit.empty.all': 'Er is nog niets gewijzigd.',
  'admin.audit.pages': 'Pagina’s van het auditlogboek',
  'admin.audit.newest': 'Nieuwste',
  'admin.audit.older': 'Oudere wijzigingen',
  'admin.audit.fromIp': 'vanaf {ip}',
  'admin.audit.from': 'van',
  'admin.audit.to': 'naar',
  'admin.audit.token.named': 'API-token ‘{label}’',
  'admin.audit.token.unnamed': 'API-token {id}',
  'admin.audit.who.cli': 'De opdrachtregel ({name})',
  'admin.audit.who.service': 'Service {name}',
  'admin.audit.did.other': '{who}: {action} bij {target}',
  'admin.audit.did.adminInitialized': '{who} heeft {target} ingesteld als eerste beheerder',
  'admin.audit.did.userCreated': '{who} heeft gebruiker {target} gemaakt',
  'admin.audit.did.userUpdated': '{who} heeft het profiel van {target} gewijzigd',
  'admin.audit.did.userDisabled': '{who} heeft het account van {target} uitgeschakeld',
  'admin.audit.did.userEnabled': '{who} heeft het account van {target} ingeschakeld',
  'admin.audit.did.userDeleted': '{who} heeft gebruiker {target} verwijderd',
  'admin.audit.did.userPasswordSet': '{who} heeft het wachtwoord van {target} ingesteld',
  'admin.audit.did.userRoleChanged': '{who} heeft de rol van {target} gewijzigd',
  'admin.audit.did.userUnlocked': '{who} heeft het account van {target} ontgrendeld',
  'admin.audit.did.twoStepStateChanged': '{who} heeft verificatie in twee stappen voor {target} gewijzigd',
  'admin.audit.did.twoStepMethodAdded': '{who} heeft een verificatiemethode toegevoegd voor {target}',
  'admin.audit.did.twoStepMethodRemoved': '{who} heeft een verificatiemethode van {target} verwijderd',
  'admin.audit.did.twoStepDefaultChanged':
    '{who} heeft de standaardverificatiemethode van {target} gewijzigd',
  'admin.audit.did.twoStepRecoveryCodesGenerated': '{who} heeft nieuwe herstelcodes gemaakt voor {target}',
  'admin.audit.did.twoStepReregistrationRequired':
    '{who} heeft {target} gevraagd verificatie in twee stappen opnieuw in te stellen',
  'admin.audit.did.appPasswordCreated': '{who} heeft een app-wachtwoord gemaakt voor {target}',
  'admin.audit.did.appPasswordDeleted': '{who} heeft een app-wachtwoord van {target} verwijderd',
  'admin.audit.did.appPasswordDeletedAll': '{who} heeft alle app-wachtwoorden van {target} verwijderd',
  'admin.audit.did.appPasswordAutoRevoked':
    '{who} heeft een ongebruikt app-wachtwoord van {target} verwijderd',
  'admin.audit.did.deviceLoginApproved':
    '{who} heeft een aanmelding op een apparaat goedgekeurd voor {target}',
  'admin.audit.did.deviceLoginDenied': '{who} heeft een aanmelding op een apparaat afgewezen voor {target}',
  'admin.audit.did.deviceLoginDelivered':
    '{who} heeft een apparaat zijn app-wachtwoord gegeven voor {target}',
  'admin.audit.did.deviceLoginRefused': '{who} heeft een aanmelding op een apparaat geweigerd voor {target}',
  'admin.audit.did.devicesRevoked': '{who} heeft de onthouden apparaten van {target} ingetrokken',
  'admin.audit.did.sessionsRevoked': '{who} heeft {target} overal afgemeld',
  'admin.audit.did.settingsChanged': '{who} heeft de instelling {target} gewijzigd',
  'admin.audit.did.serviceCreated': '{who} heeft serviceaccount {target} gemaakt',
  'admin.audit.did.serviceDeleted': '{who} heeft serviceaccount {target} verwijderd',
  'admin.audit.did.radiusClientCreated': '{who} heeft RADIUS-client {target} (VPN of wifi) geregistreerd',
  'admin.audit.did.radiusClientDeleted': '{who} heeft RADIUS-client {target} verwijderd',
  'admin.audit.did.radiusReplyCreated': '{who} heeft RADIUS-antwoordregel {target} toegevoegd',
  'admin.audit.did.radiusReplyDeleted': '{who} heeft RADIUS-antwoordregel {target} verwijderd',
  'admin.audit.did.tokenCreated': '{who} heeft {target} gemaakt',
  'admin.audit.did.tokenRevoked': '{who} heeft {target} ingetrokken',
  'admin.audit.did.oidcClientCreated': '{who} heeft app {target} (OpenID Connect) geregistreerd',
  'admin.audit.did.oidcClientDeleted': '{who} heeft app {target} (OpenID Connect) verwijderd',
  'admin.audit.did.oidcClientSecretRotated': '{who} heeft app {target} een nieuw geheim gegeven',
  'admin.audit.did.oidcKeysRotated':
    '{who} heeft de ondertekeningssleutels vervangen; de nieuwe sleutel is {target}',
  'admin.audit.did.oidcAccessRevoked':
    '{who} heeft de toegang van een app tot het account van {target} ingetrokken',
  'admin.audit.detail.id': 'ID',
  'admin.audit.detail.twoStep': 'Verificatie in twee stappen',
  'admin.audit.detail.expiresAt': 'Verloopt',
  'admin.audit.detail.displayName': 'Weergavenaam',
  'admin.audit.detail.email': 'E-mailadres',
  'admin.audit.detail.username': 'Gebruikersnaam',
  'admin.audit.detail.role': 'Rol',
  'admin.audit.detail.clientId': 'Client-ID',
  'admin.audit.detail.redirectUris': 'Redirect-URI’s',
  'admin.audit.detail.postLogoutRedirectUris': 'URI’s na afmelden',
  'admin.audit.detail.objectsRevoked': 'Beëindigde toestemmingen, codes en tokens',
  'admin.audit.detail.kid': 'Sleutel-ID',
  'admin.audit.detail.alg': 'Algoritme',
  'admin.audit.detail.signsFrom': 'Ondertekent vanaf',
  'admin.audit.detail.reason': 'Reden',
  'admin.audit.detail.app': 'App',
  'admin.audit.detail.source': 'Bron',
  'admin.audit.detail.scopes': 'Alleen voor',
  'admin.audit.detail.request': 'Verzoek',
  'admin.audit.detail.line': 'Regel',
  'admin.audit.detail.label': 'Naam',
  'admin.audit.detail.count': 'Aantal',
  'admin.audit.detail.appPasswordsDeleted': 'Verwijderde app-wachtwoorden',
  'admin.audit.detail.appPasswordId': 'App-wachtwoord',
  'admin.audit.detail.value': 'Waarde',
  'admin.audit.detail.trusted': 'Vertrouwd',
  'admin.audit.detail.public': 'Openbaar',
  'admin.audit.detail.requireMessageAuthenticator': 'Message-Authenticator verplicht',
  'admin.audit.detail.name': 'Naam',
  'admin.audit.detail.methodsRemoved': 'Verwijderde methoden',
  'admin.audit.detail.lastUsedAt': 'Laatst gebruikt',
  'admin.audit.detail.kind': 'Soort',
  'admin.audit.detail.group': 'Groep',
  'admin.audit.detail.attribute': 'Attribuut',
  'admin.audit.detail.client': 'RADIUS-client',
  'admin.audit.detail.address': 'Adres',
  'admin.audit.detail.generated': 'Gemaakt',
  'admin.audit.detail.deliveredTo': 'Afgeleverd aan',
  'admin.audit.detail.requestedFrom': 'Gevraagd vanaf',
  'admin.audit.detail.requestedAt': 'Gevraagd op',
  'admin.audit.detail.method': 'Methode',
  'admin.audit.value.disabled': 'uit',
  'admin.audit.value.enabled': 'aan, nog in te stellen',
  'admin.audit.value.enforced': 'aan en verplicht',
  'admin.audit.value.adminPage': 'door een beheerder op de beheerpagina’s',
  'admin.audit.value.registrationFinished': 'de persoon heeft verificatie in twee stappen ingesteld',
  'admin.audit.value.passwordChanged': 'het wachtwoord is gewijzigd',
  'admin.audit.value.twoStepDisabled': 'verificatie in twee stappen is uitgezet',
  'admin.audit.value.twoStepNoLongerRequired':
    'verificatie in twee stappen is niet meer verplicht voor iedereen',
  'admin.audit.value.unused': 'te lang niet gebruikt',
  'admin.audit.value.totp': 'authenticator-app',
  'admin.audit.value.webauthn': 'beveiligingssleutel of passkey',
  'admin.audit.value.everyApp': 'elk soort app',
  'admin.audit.value.none': 'geen',
  'admin.audit.value.on': 'aan',
  'admin.audit.value.off': 'uit',
  'admin.audit.value.yes': 'ja',
  'admin.audit.value.no': 'nee',

  // Het aanmeldlogboek (admin/sign-ins.ts); redenen en aanmeldmiddelen staan onder admin.common.*.
  'admin.signIns.title': 'Aanmeldingen',
  'admin.signIns.lead':
    'Elke aanmeldpoging, op het web en vanuit apps, de nieuwste eerst. Geslaagde controles die een app herhaalt, worden per minuut op één regel geteld.',
  'admin.signIns.filter': 'Aanmeldingen filteren',
  'admin.signIns.user.label': 'Gebruiker',
  'admin.signIns.user.hint': 'Een gebruikersnaam, of elke naam die is geprobeerd.',
  'admin.signIns.door.label': 'Waar',
  'admin.signIns.door.any': 'Overal',
  'admin.signIns.result.label': 'Resultaat',
  'admin.signIns.result.any': 'Elk resultaat',
  'admin.signIns.result.accepted': 'Geslaagd',
  'admin.signIns.result.refused': 'Geweigerd',
  'admin.signIns.reason.label': 'Reden van weigering',
  'admin.signIns.reason.any': 'Elke reden',
  'admin.signIns.since.label': 'Vanaf',
  'admin.signIns.since.hint': 'Een datum of een tijd in UTC: 2026-11-22 of 2026-11-22T10:00Z.',
  'admin.signIns.until.label': 'Tot (niet inbegrepen)',
  'admin.signIns.until.hint': 'Zelfde notatie.',
  'admin.signIns.show': 'Tonen',
  'admin.signIns.clear': 'Filters wissen',
  'admin.signIns.badFilters': 'Deze filters kunnen niet worden gebruikt',
  'admin.signIns.csv': 'CSV downloaden',
  'admin.signIns.caption.older': 'Oudere aanmeldingen die voldoen',
  'admin.signIns.caption.recent': {
    one: 'De meest recente aanmelding die voldoet (de CSV bevat er maximaal {max})',
    other: 'De {count} meest recente aanmeldingen die voldoen (de CSV bevat er maximaal {max})',
  },
  'admin.signIns.caption.all': 'Aanmeldingen die voldoen',
  'admin.signIns.head.when': 'Wanneer',
  'admin.signIns.head.user': 'Gebruiker',
  'admin.signIns.head.where': 'Waar',
  'admin.signIns.head.from': 'Vanaf',
  'admin.signIns.head.result': 'Resultaat',
  'admin.signIns.head.with': 'Met',
  'admin.signIns.anyName': 'elke naam',
  'admin.signIns.noSuchUser': '(gebruiker bestaat niet)',
  'admin.signIns.oidc.accepted': 'Aangemeld bij {app} (OpenID Connect)',
  'admin.signIns.oidc.refused': 'Aanmelden bij {app} (OpenID Connect)',
  'admin.signIns.oidc.someApp': 'een app',
  'admin.signIns.appPassword': 'App-wachtwoord ‘{label}’',
  'admin.signIns.empty.filtered': 'Geen aanmelding voldoet aan deze filters.',
  'admin.signIns.empty.all': 'Nog geen aanmeldingen.',
  'admin.signIns.pages': 'Pagina’s met aanmeldingen',
  'admin.signIns.newest': 'Nieuwste',
  'admin.signIns.older': 'Oudere aanmeldingen',

  // Apps, OpenID Connect (admin/clients.ts).
  'admin.clients.title': 'Apps (OpenID Connect)',
  'admin.clients.lead':
    'Apps die mensen via Latchkey laten aanmelden, met het wachtwoord en de tweede stap: Grafana, Nextcloud, Gitea, alles wat OpenID Connect spreekt. Ze zien nooit een wachtwoord.',
  'admin.clients.register': 'Een app registreren',
  'admin.clients.caption': 'Geregistreerde apps',
  'admin.clients.head.name': 'Naam',
  'admin.clients.head.clientId': 'Client-ID',
  'admin.clients.head.type': 'Soort',
  'admin.clients.head.trusted': 'Vertrouwd',
  'admin.clients.head.redirectUris': 'Redirect-URI’s',
  'admin.clients.head.lastUsed': 'Laatst gebruikt',
  'admin.clients.type.public': 'Openbaar (geen geheim)',
  'admin.clients.type.confidential': 'Vertrouwelijk (met geheim)',
  'admin.clients.yes': 'Ja',
  'admin.clients.no': 'Nee',
  'admin.clients.none': 'Geen',
  'admin.clients.empty': 'Er is nog geen app geregistreerd.',
  'admin.clients.note':
    'Vertrouwde apps zijn van je eigen organisatie: mensen wordt niet gevraagd of die apps hen mogen aanmelden. ‘Laatst gebruikt’ is de laatste keer dat de app een token kreeg, voor wie dan ook.',
  'admin.clients.deleted':
    'De app is verwijderd. De tokens ervan werken meteen niet meer; niemand kan zich er nog met Latchkey bij aanmelden.',
  'admin.clients.issuer': 'Issuer',
  'admin.clients.cancel': 'Annuleren',
  'admin.clients.close': 'Sluiten',
  'admin.clients.secretOf': 'Clientgeheim van {name}',
  'admin.clients.copySecret': 'Geheim naar klembord kopiëren',
  'admin.clients.scope.openid': 'openid: wie de persoon is (nodig om mensen aan te melden)',
  'admin.clients.scope.profile': 'profile: de naam en gebruikersnaam',
  'admin.clients.scope.email': 'email: het e-mailadres',
  'admin.clients.scope.groups': 'groups: de groepen waarin de persoon zit',
  'admin.clients.scope.offlineAccess': 'offline_access: de app mag aangemeld blijven (vernieuwingstokens)',
  'admin.clients.scope.mail':
    'mail: de tokens openen de mailbox van de persoon (alleen mail-apps; Dovecot met OAuth)',
  'admin.clients.keyState.signing': 'Ondertekent nu tokens',
  'admin.clients.keyState.next': 'Gepubliceerd; ondertekent later',
  'admin.clients.keyState.retired':
    'Buiten gebruik; nog gepubliceerd zodat de tokens ervan te controleren zijn',
  'admin.clients.keyState.unpublished': 'Niet meer gepubliceerd; wordt bij het volgende onderhoud verwijderd',
  'admin.clients.keys.title': 'Ondertekeningssleutels',
  'admin.clients.keys.lead':
    'Latchkey ondertekent de tokens die het aan apps geeft met deze sleutels; apps halen de openbare helften op bij {url}. Een nieuwe sleutel wordt een uur voordat hij gaat ondertekenen gepubliceerd, en de oude blijft daarna nog een dag gepubliceerd, zodat vervangen nooit een app breekt.',
  'admin.clients.keys.caption': 'Ondertekeningssleutels, de nieuwste eerst',
  'admin.clients.keys.head.kid': 'Sleutel-ID',
  'admin.clients.keys.head.created': 'Gemaakt',
  'admin.clients.keys.head.signsFrom': 'Ondertekent vanaf',
  'admin.clients.keys.head.retired': 'Buiten gebruik',
  'admin.clients.keys.head.state': 'Status',
  'admin.clients.keys.empty': 'Nog geen sleutel: de eerste wordt gemaakt als de provider start.',
  'admin.clients.keys.rotate': 'Sleutels vervangen',
  'admin.clients.keys.rotated':
    'Nieuwe ondertekeningssleutel {kid}: nu gepubliceerd. Over een uur gaat hij ondertekenen; apps hoeven niets te veranderen.',
  'admin.clients.keys.question': 'De ondertekeningssleutels vervangen?',
  'admin.clients.keys.detail':
    'Er wordt nu een nieuwe sleutel gepubliceerd die over een uur gaat ondertekenen; de huidige sleutel ondertekent tot dan en blijft daarna nog een dag gepubliceerd, zodat de tokens die hij heeft ondertekend blijven werken. Apps hoeven niets te veranderen. Vervang de sleutels jaarlijks, of meteen als je denkt dat een sleutel of een databasedump is uitgelekt.',
  'admin.clients.keys.yes': 'Ja, vervangen',
  'admin.clients.new.title': 'Een app registreren',
  'admin.clients.new.lead':
    'Op de volgende pagina krijg je de drie waarden om in de instellingen van de app te plakken: de issuer, de client-ID en, tenzij de app openbaar is, het clientgeheim.',
  'admin.clients.new.nameHint':
    'Mensen zien deze naam als de app vraagt of hij hen mag aanmelden, bijvoorbeeld ‘grafana’: a–z, 0–9, punten, streepjes en liggende streepjes.',
  'admin.clients.new.redirectHint':
    'Waar de app de aanmelding ontvangt, precies zoals de app het meestuurt; één per regel. https://, of http:// alleen voor localhost.',
  'admin.clients.new.postLogout': 'URI’s na afmelden (optioneel)',
  'admin.clients.new.postLogoutHint':
    'Waar de app mensen naartoe mag sturen nadat ze zijn afgemeld; één per regel.',
  'admin.clients.new.public': 'Openbare app: kan geen geheim bewaren',
  'admin.clients.new.publicHint':
    'Een single-page-app, een app voor telefoon of computer, of een opdrachtregelprogramma. De app krijgt geen geheim en bewijst zich met PKCE.',
  'admin.clients.new.trusted': 'Een app van je eigen organisatie',
  'admin.clients.new.trustedHint':
    'Mensen wordt niet gevraagd of de app hen mag aanmelden. Laat dit leeg voor apps die iemand anders beheert.',
  'admin.clients.new.scopes': 'Waar de app om mag vragen',
  'admin.clients.new.submit': 'Registreren',
  'admin.clients.new.noScopes': 'Vink minstens één ding aan waar de app om mag vragen.',
  'admin.clients.created.title': 'App geregistreerd',
  'admin.clients.created.heading': '{name} is geregistreerd',
  'admin.clients.created.lead':
    'Plak deze waarden in de OpenID Connect-instellingen van de app. Alle andere adressen vindt de app via de issuer.',
  'admin.clients.created.discovery': 'Discovery',
  'admin.clients.created.once':
    'Dit is de enige keer dat het geheim wordt getoond: Latchkey bewaart er alleen een hash van. Raakt het kwijt, geef de app dan een nieuw geheim via de pagina van de app.',
  'admin.clients.created.public':
    'Een openbare app heeft geen geheim: hij bewijst zich met PKCE, elke keer dat hij iemand aanmeldt.',
  'admin.clients.one.lead': 'Client-ID {id}',
  'admin.clients.one.public': 'Openbaar: geen geheim, alleen PKCE',
  'admin.clients.one.confidential': 'Vertrouwelijk: meldt zich bij Latchkey aan met het geheim',
  'admin.clients.one.trusted':
    'Ja: een app van je eigen organisatie; mensen wordt niet gevraagd of de app hen mag aanmelden',
  'admin.clients.one.notTrusted':
    'Nee: mensen zien wat de app te zien krijgt, en kiezen Toestaan of Annuleren',
  'admin.clients.one.postLogout': 'URI’s na afmelden',
  'admin.clients.one.backchannel': 'Back-channel-afmelding',
  'admin.clients.one.scopes': 'Mag vragen om',
  'admin.clients.one.registered': 'Geregistreerd',
  'admin.clients.one.secretChanged': 'Geheim laatst gewijzigd',
  'admin.clients.one.secretNever': 'Nooit: het geheim dat bij de registratie is getoond',
  'admin.clients.one.lastUsedNote': '(een token dat de app kreeg, voor wie dan ook)',
  'admin.clients.one.newSecret': 'Een nieuw geheim geven',
  'admin.clients.one.delete': 'Verwijderen',
  'admin.clients.one.back': 'Terug naar apps',
  'admin.clients.one.secretRotated': 'De app heeft een nieuw geheim.',
  'admin.clients.delete.title': 'App verwijderen',
  'admin.clients.delete.question': '{name} verwijderen?',
  'admin.clients.delete.detail':
    'Mensen kunnen zich niet meer met Latchkey aanmelden bij {name}. Elk token van de app werkt meteen niet meer, en ieders toestemming voor de app wordt vergeten. Dit kan niet ongedaan worden gemaakt: als je de app opnieuw registreert, krijgt hij een nieuwe client-ID.',
  'admin.clients.delete.yes': 'Ja, verwijderen',
  'admin.clients.rotate.title': 'Nieuw geheim',
  'admin.clients.rotate.question': '{name} een nieuw geheim geven?',
  'admin.clients.rotate.detail':
    'Het huidige geheim werkt meteen niet meer: {name} kan niemand aanmelden totdat je het nieuwe in de instellingen van de app plakt. Wie bij de app is aangemeld, blijft aangemeld.',
  'admin.clients.rotate.yes': 'Ja, een nieuw geheim maken',
  'admin.clients.rotate.heading': 'Nieuw geheim voor {name}',
  'admin.clients.rotate.lead':
    'Plak het nu in de instellingen van de app, in plaats van het oude, dat niet meer werkt.',
  'admin.clients.rotate.once':
    'Dit is de enige keer dat het wordt getoond. Raakt het kwijt, maak dan een nieuw.',

  // RADIUS (admin/radius.ts).
  'admin.radius.title': 'RADIUS (VPN en wifi)',
  'admin.radius.lead':
    'De VPN-concentrators, wifi-controllers en firewalls die Latchkey mogen vragen of een gebruikersnaam en app-wachtwoord kloppen. Pakketten van elk ander adres worden genegeerd.',
  'admin.radius.optedOut':
    '{names}: verzoeken worden geaccepteerd zonder Message-Authenticator, kwetsbaar voor BlastRADIUS (CVE-2024-3596). Werk de apparatuur bij en registreer hem opnieuw zodra dat kan.',
  'admin.radius.register': 'Een RADIUS-client registreren',
  'admin.radius.clients': 'RADIUS-clients',
  'admin.radius.head.name': 'Naam',
  'admin.radius.head.address': 'Adres',
  'admin.radius.head.registered': 'Geregistreerd',
  'admin.radius.head.client': 'Client',
  'admin.radius.head.group': 'Groep',
  'admin.radius.head.attribute': 'Attribuut',
  'admin.radius.head.value': 'Waarde',
  'admin.radius.required': 'Verplicht',
  'admin.radius.notRequired': 'Niet verplicht: kwetsbaar voor BlastRADIUS',
  'admin.radius.delete': 'Verwijderen',
  'admin.radius.noClients': 'Er is nog geen RADIUS-client geregistreerd.',
  'admin.radius.everyClient': 'Elke client',
  'admin.radius.cancel': 'Annuleren',
  'admin.radius.close': 'Sluiten',
  'admin.radius.no': 'Nee',
  'admin.radius.yesDelete': 'Ja, verwijderen',
  'admin.radius.blastWarning':
    'Verzoeken ervan worden geaccepteerd zonder Message-Authenticator, waardoor vervalste antwoorden mogelijk zijn (BlastRADIUS, CVE-2024-3596). Gebruik dit alleen voor oude apparatuur die het niet kan meesturen, en werk de firmware bij zodra dat kan.',
  'admin.radius.replies.title': 'Antwoordattributen per groep',
  'admin.radius.replies.lead':
    'Wat een Access-Accept de NAS over de persoon vertelt: een filter, een sessielimiet, een VLAN. Zetten twee regels hetzelfde attribuut, dan wint een regel voor de vragende client van een regel voor elke client, en wint {admins} of {helpdesk} van {users}. Een VLAN vraagt drie regels: Tunnel-Type VLAN, Tunnel-Medium-Type IEEE-802 en Tunnel-Private-Group-Id met het nummer.',
  'admin.radius.replies.caption': 'Antwoordregels',
  'admin.radius.replies.empty': 'Geen antwoordregel: een Access-Accept bevat alleen Class.',
  'admin.radius.replies.add': 'Een antwoordregel toevoegen',
  'admin.radius.done.clientDeleted':
    'De RADIUS-client is verwijderd: binnen een seconde worden zijn pakketten genegeerd.',
  'admin.radius.done.replyAdded': 'De antwoordregel is toegevoegd: hij geldt vanaf het volgende verzoek.',
  'admin.radius.done.replyDeleted': 'De antwoordregel is verwijderd: de volgende Access-Accept is zonder.',
  'admin.radius.new.lead':
    'Op de volgende pagina krijg je, één keer, het gedeelde geheim om in de NAS te plakken.',
  'admin.radius.new.nameHint':
    'Voor jezelf en het aanmeldlogboek, bijvoorbeeld ‘kantoor-vpn’: a–z, 0–9, punten, streepjes en liggende streepjes.',
  'admin.radius.new.addressHint':
    'Het adres waar de pakketten vandaan komen, of een bereik: 192.0.2.7, 10.0.0.0/24, 2001:db8::/64.',
  'admin.radius.new.optOut': 'Oude apparatuur: verzoeken zonder Message-Authenticator accepteren',
  'admin.radius.new.submit': 'Registreren',
  'admin.radius.error.name':
    'Namen van RADIUS-clients zijn 1–64 tekens uit a–z, 0–9, ‘.’, ‘_’ en ‘-’, en beginnen met een letter of cijfer.',
  'admin.radius.error.address':
    'Het adres moet een IP-adres zijn of een bereik in CIDR-notatie, zoals 192.0.2.7 of 10.0.0.0/24.',
  'admin.radius.created.title': 'RADIUS-client geregistreerd',
  'admin.radius.created.heading': '{name} is geregistreerd',
  'admin.radius.created.lead':
    'Plak het gedeelde geheim in de NAS, samen met het adres van deze server en poort 1812. De pakketten moeten komen van {address}.',
  'admin.radius.created.secretOf': 'Gedeeld geheim van {name}',
  'admin.radius.created.copy': 'Geheim naar klembord kopiëren',
  'admin.radius.created.once':
    'Dit is de enige keer dat het gedeelde geheim wordt getoond. Raakt het kwijt, verwijder de client dan en registreer hem opnieuw.',
  'admin.radius.deleteClient.question': '{name} verwijderen?',
  'admin.radius.deleteClient.detail':
    'Latchkey antwoordt binnen een seconde niet meer aan {address}: mensen achter deze VPN of wifi kunnen zich er niet meer via aanmelden. De eigen antwoordregels worden mee verwijderd. Als je hem opnieuw registreert, krijgt hij een nieuw gedeeld geheim.',
  'admin.radius.reply.lead':
    'Leden van de groep krijgen dit attribuut in hun Access-Accept, vanaf het volgende verzoek.',
  'admin.radius.reply.groupHint':
    'Iedereen zit in users; beheerders zitten ook in admins, de helpdesk in helpdesk.',
  'admin.radius.reply.attributeOption': '{name}: {help}',
  'admin.radius.reply.valueHint':
    'Gecontroleerd per attribuut: een VLAN-nummer, een aantal seconden, de naam van een filter…',
  'admin.radius.reply.for': 'Voor',
  'admin.radius.reply.everyClient': 'Elke RADIUS-client',
  'admin.radius.reply.submit': 'Toevoegen',
  'admin.radius.deleteRule.question': 'De regel {group} → {attribute} verwijderen?',
  'admin.radius.deleteRule.detail':
    'Leden van {group} krijgen vanaf het volgende verzoek geen {attribute} = {value} meer van {client}.',
  'admin.radius.deleteRule.detailAny':
    'Leden van {group} krijgen vanaf het volgende verzoek geen {attribute} = {value} meer van welke RADIUS-client ook.',
  'admin.radius.attribute.filterId': 'de naam van een filter (ACL, set firewallregels) die de NAS toepast',
  'admin.radius.attribute.replyMessage': 'een tekst die de NAS aan de persoon mag tonen',
  'admin.radius.attribute.sessionTimeout': 'seconden voordat de sessie eindigt',
  'admin.radius.attribute.idleTimeout': 'seconden zonder activiteit voordat de sessie eindigt',
  'admin.radius.attribute.framedIpNetmask': 'een IPv4-netmasker',
  'admin.radius.attribute.framedMtu': 'bytes',
  'admin.radius.attribute.framedPool': 'de naam van een adresgroep op de NAS',
  'admin.radius.attribute.acctInterimInterval': 'seconden tussen accounting-updates',
  'admin.radius.attribute.tunnelType': 'VLAN (13), met Tunnel-Medium-Type en Tunnel-Private-Group-Id',
  'admin.radius.attribute.tunnelMediumType': 'IEEE-802 (6)',
  'admin.radius.attribute.tunnelPrivateGroupId': 'het VLAN-nummer, 1 tot en met 4094',
  'admin.audit.detail.passwordSet': 'Wachtwoord ingesteld',
  'admin.audit.detail.countersCleared': 'Tellers van mislukte pogingen gewist',
  // ── end admin-rest ──

  // ── Device approval, apps with access, consent, the page shell's remaining words ──
  // Device approval (device.ts)
  'device.code.title': 'Een apparaat koppelen',
  'device.code.lead':
    'Een app op een van je apparaten vraagt om een app-wachtwoord. Typ de code die de app je laat zien.',
  'device.code.label': 'Code',
  'device.code.hint':
    'Acht letters, zoals BCDF-GHJK. Hoofdletters en het streepje maken niet uit. Controleer of het de code is die je apparaat toont.',
  'device.code.next': 'Volgende',
  'device.cancel': 'Annuleren',
  'device.expired.title': 'Deze code is verlopen',
  'device.expired.message':
    'Een code werkt 10 minuten. Begin opnieuw op het apparaat om een nieuwe code te krijgen. De app heeft niets gekregen.',
  'device.denied.title': 'Verzoek geweigerd',
  'device.denied.message':
    '{app} heeft nee te horen gekregen en niets ontvangen. Was dit een vergissing? Begin dan opnieuw op het apparaat.',
  'device.answered.title': 'Dit verzoek is al beantwoord',
  'device.answered.message': 'Je hoeft hier niets meer te doen.',
  'device.approved.title': 'Goedgekeurd',
  'device.approved.message':
    '{app} krijgt een eigen app-wachtwoord, met de naam “{name}”. Ga terug naar het apparaat: dat gaat vanzelf verder. Je kunt het app-wachtwoord altijd verwijderen bij {link}.',
  'device.confirm.title': '{app} een app-wachtwoord geven?',
  'device.confirm.lead':
    'De app meldt zich aan als {username}, met een eigen, nieuw app-wachtwoord, voor mail, agenda’s, contacten en de andere apps die je organisatie met Latchkey verbindt.',
  'device.confirm.notApproved': 'Niet goedgekeurd',
  'device.confirm.warning.title': 'Heb je dit zelf gestart?',
  'device.confirm.warning':
    'Keur alleen goed als je dit zelf hebt gestart, op je eigen apparaat, in de afgelopen paar minuten. Heeft iemand je deze link of code gestuurd, of je gevraagd hem te typen? Kies dan Weigeren: wie dit heeft gestart, zou anders in je account komen.',
  'device.fact.app': 'App',
  'device.fact.from': 'Aangevraagd vanaf',
  'device.fact.requested': 'Aangevraagd',
  'device.fact.software': 'Software',
  'device.fact.notSaid': 'Niet opgegeven',
  'device.fact.expires': 'Verloopt',
  'device.approve': 'Goedkeuren',
  'device.deny': 'Weigeren',
  'device.throttled.title': 'Te veel verkeerde codes',
  'device.throttled.message': {
    one: 'Voor je veiligheid worden codes na een aantal verkeerde pogingen een tijdje niet gecontroleerd. Probeer het over {count} minuut opnieuw.',
    other:
      'Voor je veiligheid worden codes na een aantal verkeerde pogingen een tijdje niet gecontroleerd. Probeer het over {count} minuten opnieuw.',
  },
  'device.error.malformed': 'Een code bestaat uit acht letters, zoals BCDF-GHJK.',
  'device.error.unknown':
    'Er is geen verzoek met deze code. Controleer de code op het apparaat; een code werkt 10 minuten.',
  'device.rule.appPasswordsDisabled':
    'Je organisatie staat geen app-wachtwoorden toe, dus deze app kan er geen krijgen. De app heeft niets gekregen.',
  'device.rule.twoStepRequired':
    'App-wachtwoorden zijn voor accounts met verificatie in twee stappen. Bij jou staat die uit, dus je apps gebruiken het wachtwoord van je account. De app heeft niets gekregen.',
  'device.rule.appPasswordLimit':
    'Je hebt het maximale aantal app-wachtwoorden bereikt. Verwijder bij App-wachtwoorden er een die je niet meer gebruikt, kom dan terug naar deze pagina en keur opnieuw goed. De app heeft nog niets gekregen.',

  // Apps with access (apps.ts), also on the staff view of a user
  'apps.title': 'Apps met toegang',
  'apps.lead':
    'Apps die je aanmelden met je Latchkey-account. Ze zien je wachtwoord nooit. Verwijder een app die je niet meer gebruikt: die verliest meteen zijn toegang.',
  'apps.caption': 'Apps met toegang tot je account',
  'apps.empty':
    'Geen enkele app heeft toegang tot je account. Meld je je bij een app aan met je Latchkey-account, dan verschijnt die hier.',
  'apps.head.app': 'App',
  'apps.head.scopes': 'Wat de app mag zien',
  'apps.head.allowed': 'Toegestaan',
  'apps.head.lastUsed': 'Laatst gebruikt',
  'apps.notRecorded': 'Niet vastgelegd',
  'apps.trusted': 'Een eigen app van je organisatie',
  'apps.remove': 'Verwijderen',
  'apps.lastUsed.self':
    '“Laatst gebruikt” is de laatste keer dat de app je heeft aangemeld of zijn toegang tot je account heeft vernieuwd; gebruik door anderen telt niet mee.',
  'apps.lastUsed.staff':
    '“Laatst gebruikt” is de laatste keer dat de app deze persoon heeft aangemeld of zijn toegang tot het account heeft vernieuwd; gebruik door anderen telt niet mee.',
  'apps.scope.self.openid': 'Wie je bent',
  'apps.scope.self.profile': 'Je naam en gebruikersnaam',
  'apps.scope.self.email': 'Je e-mailadres',
  'apps.scope.self.groups': 'De groepen waarin je zit',
  'apps.scope.self.offline_access': 'Blijft aangemeld nadat je de app sluit',
  'apps.scope.self.mail': 'Je mail',
  'apps.scope.staff.openid': 'Wie de persoon is',
  'apps.scope.staff.profile': 'Naam en gebruikersnaam',
  'apps.scope.staff.email': 'E-mailadres',
  'apps.scope.staff.groups': 'De groepen waarin de persoon zit',
  'apps.scope.staff.offline_access': 'Blijft aangemeld nadat de persoon de app sluit',
  'apps.scope.staff.mail': 'Mail',
  'apps.removeDetail.self.trusted':
    '{app} wordt meteen afgemeld bij je account: de tokens van de app werken niet meer, en de app kan niets meer van je zien. Het is een eigen app van je organisatie, dus de volgende keer dat je hem opent, meldt hij je zonder te vragen weer aan. Verder verandert er niets.',
  'apps.removeDetail.self.other':
    '{app} wordt meteen afgemeld bij je account: de tokens van de app werken niet meer, en de app kan niets meer van je zien. Open je hem later weer, dan vraagt hij opnieuw of hij je mag aanmelden. Verder verandert er niets.',
  'apps.removeDetail.staff.trusted':
    '{app} wordt meteen afgemeld bij het account van deze persoon: de tokens van de app werken niet meer, en de app kan niets meer van de persoon zien. Het is een eigen app van je organisatie, dus de volgende keer dat de persoon hem opent, meldt hij de persoon zonder te vragen weer aan. Verder verandert er niets.',
  'apps.removeDetail.staff.other':
    '{app} wordt meteen afgemeld bij het account van deze persoon: de tokens van de app werken niet meer, en de app kan niets meer van de persoon zien. Opent de persoon hem later weer, dan vraagt hij opnieuw of hij de persoon mag aanmelden. Verder verandert er niets.',
  'apps.remove.title': 'App verwijderen',
  'apps.remove.heading': 'Toegang van {app} verwijderen?',
  'apps.remove.yes': 'Ja',
  'apps.remove.no': 'Nee',
  'apps.notFound.title': 'App niet gevonden',
  'apps.notFound.heading': 'Deze app heeft geen toegang',
  'apps.notFound.message': 'De toegang is misschien al verwijderd. Er is niets gewijzigd.',
  'apps.close': 'Sluiten',
  'apps.removed.title': 'Toegang verwijderd',
  'apps.removed.heading': '{app} heeft geen toegang meer',
  'apps.removed.headingUnknown': 'De app heeft geen toegang meer',
  'apps.removed.lead.trusted':
    'De tokens van de app werken meteen niet meer. Het is een eigen app van je organisatie: open je hem weer, dan meldt hij je opnieuw aan.',
  'apps.removed.lead.other':
    'De tokens van de app werken meteen niet meer. Open je hem weer, dan vraagt hij opnieuw of hij je mag aanmelden.',

  // The OpenID Connect consent and its interaction pages (oidc.ts)
  'consent.scope.openid': 'Wie je bent: je account, zodat de app je kan aanmelden',
  'consent.scope.profile': 'Je naam en gebruikersnaam',
  'consent.scope.email': 'Je e-mailadres',
  'consent.scope.groups': 'De groepen waarin je zit',
  'consent.scope.offline_access': 'Aangemeld blijven nadat je de app sluit (totdat je de toegang verwijdert)',
  'consent.scope.mail': 'Je mail: de app kan je mail lezen en namens jou versturen',
  'consent.title': '{app} toestaan?',
  'consent.heading': '{app} wil je aanmelden',
  'consent.willSee': 'De app krijgt te zien:',
  'consent.note':
    'De app ziet je wachtwoord nooit. Je kunt de toegang altijd verwijderen, onder {link} in je account.',
  'consent.allow': 'Toestaan',
  'consent.cancel': 'Annuleren',
  'consent.expired.message':
    'De app heeft je hier meer dan 15 minuten geleden naartoe gestuurd, of deze pagina is al gebruikt. Ga terug naar de app en meld je opnieuw aan.',
  'consent.back.title': 'Terug naar de app',
  'consent.back.heading': 'We brengen je terug naar de app…',

  // An app's sign-out (RP-initiated logout), drawn for the provider (oidc.ts)
  'consent.logout.title': 'Afmelden',
  'consent.logout.heading': 'Ook afmelden bij Latchkey?',
  'consent.logout.lead':
    '{app} heeft je afgemeld. Je kunt je ook afmelden bij Latchkey, en daarmee bij elke app waarbij je je op dit apparaat via Latchkey hebt aangemeld.',
  'consent.logout.leadUnknown':
    'De app heeft je afgemeld. Je kunt je ook afmelden bij Latchkey, en daarmee bij elke app waarbij je je op dit apparaat via Latchkey hebt aangemeld.',
  'consent.logout.yes': 'Ja, meld me af',
  'consent.logout.no': 'Nee, alleen {app}',
  'consent.logout.noUnknown': 'Nee, alleen de app',
  'consent.signedOut.title': 'Afgemeld',
  'consent.signedOut.heading': 'Je bent afgemeld',
  'consent.signedOut.from': 'Je bent afgemeld bij {app}.',
  'consent.signedOut.plain': 'Je bent afgemeld.',

  'consent.error.title': 'De app kon je niet aanmelden',
  'consent.error.message':
    'De app stuurde een verzoek dat niet kan worden uitgevoerd. Ga terug naar de app en probeer het opnieuw; blijft het gebeuren, geef dan aan je helpdesk door wat de app te horen kreeg: {detail}',

  // More refusals of the core, as pages show them (ERROR_WORDS in i18n/index.ts)
  'error.usernameInvalid': 'Een gebruikersnaam bestaat uit 1 tot 64 tekens uit a–z, 0–9, ".", "_" en "-".',
  'error.emailInvalid': 'Dit e-mailadres is niet geldig.',
  'error.displayNameInvalid': 'Een weergavenaam bestaat uit 1 tot 128 afdrukbare tekens.',
  'error.roleInvalid': 'De rol moet user, helpdesk of admin zijn.',
  'error.userExists': 'Er bestaat al een gebruiker met deze naam.',
  'error.emailTaken': 'Een andere gebruiker heeft dit e-mailadres al.',
  'error.userNotFound': 'Deze gebruiker bestaat niet.',
  'error.twoStepStateInvalid':
    'De stand van verificatie in twee stappen moet disabled, enabled of enforced zijn.',
  'error.twoStepRequired':
    'App-wachtwoorden zijn voor gebruikers met verificatie in twee stappen; zet die eerst aan voor deze gebruiker.',
  'error.expiresInvalid':
    'Een vervaldatum is een duur zoals 30d, 12w of 24h (hoogstens 3650 dagen), of een datum in de toekomst als JJJJ-MM-DD.',
  'error.appPasswordsDisabled': 'Je organisatie staat geen app-wachtwoorden toe.',
  'error.appPasswordNotFound': 'Dit app-wachtwoord bestaat niet.',
  'error.settingInvalid': 'Deze waarde is niet geldig voor deze instelling.',
  'error.serviceNameInvalid':
    'Een servicenaam bestaat uit 1 tot 64 tekens uit a–z, 0–9, ".", "_" en "-", en begint met een letter of cijfer.',
  'error.serviceExists': 'Er bestaat al een serviceaccount met deze naam.',
  'error.serviceNotFound': 'Dit serviceaccount bestaat niet.',
  'error.radiusReplyExists':
    'Deze groep heeft al een regel voor dit attribuut (voor deze RADIUS-client): verwijder die eerst.',
  'error.clientNameInvalid':
    'Een clientnaam bestaat uit 1 tot 64 tekens uit a–z, 0–9, ".", "_" en "-", en begint met een letter of cijfer (niet met "lkc_").',
  'error.clientExists': 'Er bestaat al een OpenID Connect-client met deze naam.',
  'error.clientNotFound': 'Deze OpenID Connect-client bestaat niet.',
  'error.appAccessNotFound': 'Deze app heeft geen toegang tot het account.',
  'error.clientPublic': 'Deze client is openbaar: hij heeft geen geheim om te vervangen.',
  'error.clientScopeInvalid':
    'De scopes van een client zijn een of meer van openid, profile, email, groups, offline_access.',
  'error.redirectUriInvalid':
    'Redirect-URI’s zijn absolute https-URI’s (http alleen voor localhost of een loopback-adres), zonder fragment, van hoogstens 2000 tekens; hoogstens 20 stuks.',
  'error.statusInvalid': 'De status moet active of disabled zijn.',
  'error.tokenNotFound': 'Dit API-token bestaat niet.',
  'error.csvInvalid': 'Dit bestand is geen geldige gebruikersimport.',
  'error.filterInvalid': 'Dit filter is niet geldig.',
  'error.forbidden': 'Je mag dit niet doen.',
  'error.lastAdmin': 'Dit is de laatste actieve beheerder; maak eerst iemand anders beheerder.',
  'error.limitInvalid': 'De limiet moet een geheel getal van 1 tot 10000 zijn.',
  'error.methodNotFound': 'Deze verificatiemethode bestaat niet.',
  'error.lastMethod':
    'Dit is je laatste verificatiemethode, en verificatie in twee stappen is verplicht voor je account. Voeg eerst een andere methode toe.',
  'error.twoStepOff': 'Verificatie in twee stappen staat uit voor dit account; je beheerder zet die aan.',
  'error.sudoRequired': 'Bevestig voor je veiligheid eerst dat jij het bent, voordat je dit wijzigt.',
  'error.csrfInvalid':
    'Dit formulier is verlopen of kwam niet van deze site. Laad de pagina opnieuw en probeer het nog eens.',
  'error.sessionRequired': 'Meld je aan.',
  'consent.device.title': 'Aanmelden op een apparaat',
  'consent.device.heading': 'Aanmelden op een apparaat',
  'consent.device.lead': 'Typ de code die je apparaat of app laat zien.',
  'consent.device.code.label': 'Code',
  'consent.device.code.hint':
    'Letters en cijfers zoals het apparaat ze laat zien; streepjes en spaties maken niet uit.',
  'consent.device.error.code':
    'Die code klopt niet of is verlopen. Controleer hem op het apparaat en probeer het opnieuw.',
  'consent.device.error.aborted': 'Het aanmelden is gestopt. Begin opnieuw op het apparaat.',
  'consent.device.error.other': 'Er ging iets mis met deze code. Begin opnieuw op het apparaat.',
  'consent.device.confirm.heading': 'Is dit jouw apparaat?',
  'consent.device.confirm.lead':
    '{app} vraagt om je aan te melden op een apparaat. Ga alleen verder als je dit zelf hebt gestart en het apparaat deze code laat zien:',
  'consent.device.confirm.warning':
    'Heb je dit niet zelf gestart, of laat het apparaat een andere code zien? Kies dan Annuleren: misschien probeert iemand in je account te komen.',
  'consent.device.cancel': 'Annuleren',
  'consent.device.done.heading': 'Je apparaat is aangemeld',
  'consent.device.done.lead': 'Je kunt deze pagina sluiten: {app} gaat verder op je apparaat.',
  'consent.device.done.plain': 'Je kunt deze pagina sluiten: de app gaat verder op je apparaat.',
  'errorPage.notFound.title': 'Hier staat geen pagina',
  'errorPage.notFound.message':
    'Misschien is het adres verkeerd getypt, of is de pagina verplaatst. Controleer het adres, of begin opnieuw vanuit je account.',
  'secret.copied': 'Gekopieerd',
  'secret.copiedSaid': 'Gekopieerd naar het klembord.',
  'secret.copyFailed':
    'Automatisch kopiëren lukte niet. De tekst is geselecteerd: druk op Ctrl+C, of Command+C op een Mac.',
  // ── end misc ──
  // ── Refusals with details ──
  // De bijzondere weigeringen van de kern (core/errors.ts DETAILS; i18n/index.ts DETAIL_WORDS).
  'refusal.radiusClientName':
    'Namen van RADIUS-clients zijn 1 tot 64 tekens uit a–z, 0–9, ".", "_" en "-", en beginnen met een letter of cijfer.',
  'refusal.radiusClientAddress':
    'Het adres moet een IP-adres zijn of een bereik in CIDR-notatie, zoals 192.0.2.7 of 10.0.0.0/24.',
  'refusal.radiusClientExists': 'Er bestaat al een RADIUS-client met deze naam.',
  'refusal.radiusClientNotFound': 'Deze RADIUS-client bestaat niet.',
  'refusal.radiusReplyNotFound': 'Deze RADIUS-antwoordregel bestaat niet.',
  'refusal.radiusReplyExists': 'Groep {group} heeft al een regel voor {attribute}: verwijder die eerst.',
  'refusal.radiusReplyExistsForClient':
    'Groep {group} heeft al een regel voor {attribute} bij {client}: verwijder die eerst.',
  'refusal.radiusReplyAttribute': 'Het antwoordattribuut moet een van deze zijn: {attributes}.',
  'refusal.radiusReplyGroup': 'De groep moet een van deze zijn: {groups}.',
  'refusal.radiusReplyText': '{attribute} moet 1 tot {max} bytes leesbare tekst zijn.',
  'refusal.radiusReplyInteger': '{attribute} moet een geheel getal zijn van {min} tot en met {max}.',
  'refusal.radiusReplyIpv4': '{attribute} moet een IPv4-adres zijn, zoals 255.255.255.0.',
  'refusal.radiusReplyEnum': '{attribute} moet {values} zijn.',
  'refusal.radiusReplyVlan': '{attribute} moet een VLAN-id zijn van 1 tot en met 4094.',
  'refusal.settingUnknown': 'Onbekende instelling "{key}". Bekende instellingen: {known}.',
  'refusal.settingBoolean': '{key} moet true of false zijn.',
  'refusal.settingEnum': '{key} moet een van deze waarden hebben: {values}.',
  'refusal.settingInteger': '{key} moet een geheel getal zijn van {min} tot en met {max}.',
  'refusal.settingText': '{key} moet tekst zijn.',
  'refusal.settingTooLong': '{key} mag hoogstens {max} tekens lang zijn.',
  'refusal.settingOneLine': '{key} moet één regel gewone tekst zijn.',
  'refusal.settingHost':
    '{key} moet een hostnaam zijn, zoals mail.example.org (geen IP-adres, poort of schema).',
  'refusal.settingDomain': '{key}: "{domain}" is geen domeinnaam zoals example.org.',
  'refusal.settingTooManyDomains': '{key} mag hoogstens {max} domeinen noemen.',
  'refusal.settingTimeZone': '{key} moet de naam van een tijdzone zijn, zoals Europe/Amsterdam of UTC.',
  'refusal.settingHttps':
    '{key} moet een https-adres zijn, zoals https://dav.example.org/ (zonder gebruikersnaam, wachtwoord of #fragment).',
  'refusal.languageUnknown': 'De taal moet een van deze zijn: {languages}.',
  'refusal.mailServerUnset': 'Je organisatie heeft geen server voor e-mail, agenda of contacten ingesteld.',
  'refusal.doorUnknown': 'Onbekende dienst. Diensten: {doors}.',
  'refusal.scopeDoorUnknown': 'Onbekende dienst "{door}" in het bereik. Diensten: {doors}.',
  'refusal.helpdeskChoosesPassword':
    'De helpdesk zet een wachtwoord opnieuw in met een eenmalig wachtwoord en kan zelf geen wachtwoord kiezen.',
  'refusal.signInTooManyAttempts': 'Te veel pogingen. Wacht een paar minuten en meld je dan opnieuw aan.',
  'refusal.sudoTooManyAttempts':
    'Te veel verkeerde pogingen. Wacht een paar minuten en probeer het dan opnieuw.',
  'refusal.securityKeyRegistered':
    'Deze beveiligingssleutel is al geregistreerd. Gebruik een andere sleutel.',
  'refusal.tokenRole': 'Een API-token heeft de rol admin of helpdesk.',
  'refusal.csvNotCsv': 'Het bestand is geen geldige CSV: {reason}.',
  'refusal.csvNotCsvAt': 'Het bestand is geen geldige CSV (regel {line}): {reason}.',
  'refusal.csvEmpty': 'Het bestand is leeg; de eerste regel moet de kolommen noemen.',
  'refusal.csvHeader':
    'De eerste regel moet kolommen uit {columns} noemen, elk één keer, en username moet erbij zijn.',
  'refusal.csvHeaderUnknown':
    'De eerste regel moet kolommen uit {columns} noemen, elk één keer, en username moet erbij zijn (onbekend: {unknown}).',
  'refusal.csvTooManyRows': 'Hoogstens {max} regels per bestand.',
  'refusal.importAlsoOnLine': 'Staat ook op regel {line}.',
  'refusal.importEmailOwner': 'Een andere gebruiker ({username}) heeft dit e-mailadres al.',
  'refusal.uri.redirect': 'Redirect-URI',
  'refusal.uri.redirectN': 'Redirect-URI {n}',
  'refusal.uri.postLogout': 'URI na afmelden',
  'refusal.uri.postLogoutN': 'URI na afmelden {n}',
  'refusal.uri.backChannelLogout': 'Back-channel-afmeldings-URI',
  'refusal.uri.backChannelLogoutN': 'Back-channel-afmeldings-URI {n}',
  'refusal.uriEmpty': '{what}: mag niet leeg zijn.',
  'refusal.uriTooLong': '{what}: mag hoogstens {max} tekens lang zijn.',
  'refusal.uriNotAscii':
    '{what}: alleen leesbare ASCII-tekens, zonder spaties of backslashes (andere tekens met procentcodering).',
  'refusal.uriNotAbsolute':
    '{what}: moet een absolute https://-URI zijn (http:// alleen voor localhost of een loopback-adres).',
  'refusal.uriUserInfo': '{what}: mag geen gebruikersnaam of wachtwoord bevatten.',
  'refusal.uriFragment': '{what}: mag geen fragment (#) bevatten.',
  'refusal.uriInvalid': '{what}: is geen geldige URI.',
  'refusal.uriNoHost': '{what}: moet een host noemen.',
  'refusal.uriNotHttps': '{what}: moet https gebruiken (http alleen voor localhost of een loopback-adres).',
  'refusal.urisRequired': '{what}: er is er minstens één nodig.',
  'refusal.urisNotList': '{what}: moet een lijst zijn.',
  'refusal.urisTooMany': '{what}: hoogstens {max}.',
  'refusal.auditBefore': 'before moet de id van een gebeurtenis in het auditlogboek zijn.',
  'refusal.signInsTime': '{name} moet een datum of tijd zijn, zoals 2026-11-22 of 2026-11-22T10:00Z.',
  'refusal.signInsResult': 'result moet accepted of refused zijn.',
  'refusal.signInsReason': 'reason moet een van deze zijn: {reasons}.',
  'refusal.signInsBefore': 'before moet de cursor van een aanmelding zijn.',
  'refusal.signInsUntil': 'until moet na since liggen.',
  // ── end refusals ──
};
