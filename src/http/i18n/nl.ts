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
  // ── end account ──

  // ── Administration, people: admin/index, users, user, import, shared, forms ──
  // ── end admin-people ──

  // ── Administration, the rest: settings, sign-ins, audit, tokens, clients, radius, overview, charts ──
  // ── end admin-rest ──

  // ── Device approval, apps with access, consent, the page shell's remaining words ──
  // ── end misc ──
};
