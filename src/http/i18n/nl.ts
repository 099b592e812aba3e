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
    '{door}: geweigerd na te veel mislukte pogingen. Over een paar minuten kan het vanzelf weer.',
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
  // ── end account ──

  // ── Administration, people: admin/index, users, user, import, shared, forms ──
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
  'admin.overview.stat.lockedOut': 'Geblokkeerd',
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
  'admin.overview.lockouts.title': 'Blokkeringen',
  'admin.overview.lockouts.lead':
    'Accounts (en namen zonder account) die zijn geweigerd omdat te veel pogingen mislukten, en hoeveel pogingen de blokkering heeft tegengehouden.',
  'admin.overview.lockouts.inLog': 'Bekijk ze in het aanmeldlogboek.',
  'admin.overview.lockouts.empty': {
    one: 'Geen blokkeringen in deze {count} dag.',
    other: 'Geen blokkeringen in deze {count} dagen.',
  },
  'admin.overview.lockouts.figures': '{names}, {attempts}',
  'admin.overview.lockouts.names': { one: '{count} naam geblokkeerd', other: '{count} namen geblokkeerd' },
  'admin.overview.lockouts.attempts': {
    one: '{count} poging geweigerd tijdens de blokkering',
    other: '{count} pogingen geweigerd tijdens de blokkering',
  },
  'admin.overview.lockouts.chart': 'Geblokkeerde namen per dag',
  'admin.overview.lockouts.series': 'geblokkeerd',
  'admin.overview.lockouts.table': 'Blokkeringen per dag, als tabel',
  'admin.overview.lockouts.caption': 'Blokkeringen per dag (UTC)',
  'admin.overview.lockouts.namesHead': 'Geblokkeerde namen',
  'admin.overview.lockouts.attemptsHead': 'Pogingen geweigerd tijdens de blokkering',
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
    one: 'Geen app aangemeld in deze {count} dag.',
    other: 'Geen app aangemeld in deze {count} dagen.',
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
  // ── end admin-rest ──

  // ── Device approval, apps with access, consent, the page shell's remaining words ──
  // ── end misc ──
};
