// The core as one object: every door (HTTP, LDAP, CLI) calls these functions and nothing else.

import type { CmsSigner } from '../crypto/cms-sign.js';
import { keyFingerprint, type ServerKeys } from '../crypto/keys.js';
import type { Store } from '../store/database.js';
import { initMeta } from '../store/settings.js';
import * as appPasswords from './app-passwords.js';
import * as audit from './audit.js';
import { type BrowserUser, makeBrowser } from './browser.js';
import { CheckCache, DEFAULT_CHECK_CACHE_SIZE } from './check-cache.js';
import { type CoreContext, SettingsCache } from './context.js';
import * as deviceLogin from './device-login.js';
import * as directory from './directory.js';
import { LatchkeyError } from './errors.js';
import * as importer from './import.js';
import * as lockout from './lockout.js';
import * as mailProfile from './mail-profile.js';
import * as methods from './methods.js';
import * as oidcAccess from './oidc-access.js';
import * as oidcClients from './oidc-clients.js';
import * as oidcKeys from './oidc-keys.js';
import { appOfInteraction, pruneOidcState } from './oidc-state.js';
import * as overview from './overview.js';
import type { Actor } from './policy.js';
import * as radiusClients from './radius-clients.js';
import * as radiusReplies from './radius-replies.js';
import { RelaySet } from './relays.js';
import * as services from './services.js';
import type { Settings } from './settings.js';
import * as settingsService from './settings-service.js';
import { BROWSER, makeDecider, type SignInAttempt, type SignInResult } from './sign-in.js';
import * as signInLog from './sign-in-log.js';
import { recordTokenSignIn } from './token-sign-ins.js';
import * as tokens from './tokens.js';
import * as twoStep from './two-step.js';
import { UsageRecorder } from './usage.js';
import * as users from './users.js';

type Bound<F> = F extends (ctx: CoreContext, ...args: infer A) => infer R ? (...args: A) => R : never;
function bind<T extends Record<string, unknown>>(ctx: CoreContext, mod: T) {
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(mod)) {
    if (typeof f === 'function' && f.length >= 1) out[k] = (...args: unknown[]) => f(ctx, ...args);
  }
  return out as { [K in keyof T]: Bound<T[K]> };
}

export interface CoreOptions {
  store: Store;
  keys: ServerKeys;
  now?: () => number;
  /** Flush interval of the write-behind recorder; 0 leaves flushing to the caller (CLI, tests). */
  flushIntervalMs?: number;
  /** Relay addresses and CIDRs (LATCHKEY_TRUSTED_PROXIES): no per-source counter for them. */
  relays?: readonly string[];
  /** Argon2id checks per second one source may cause on this node (0, the default here, = no limit; the
   * server passes LATCHKEY_PASSWORD_CHECKS_PER_SOURCE). */
  passwordChecksPerSource?: number;
  /** LATCHKEY_PUBLIC_URL: WebAuthn binds security keys to this origin. */
  publicUrl?: string;
  /** App passwords the check path keeps in memory (LATCHKEY_CHECK_CACHE_SIZE; 0 = none). */
  checkCacheSize?: number;
  /** Told about every sign-in decision (metrics, the log); none: the decider is not wrapped at all. */
  observer?: SignInObserver | null;
}

/**
 * Told about every sign-in decision, for the metrics and the log (src/ops). Arguments are positional
 * so that the check path allocates nothing for it; the secret is never among them. Called on the
 * check path: it must be quick and must not throw.
 */
export interface SignInObserver {
  /** The request the attempt belongs to, asked as the attempt starts; null when none is known. */
  requestId(): string | null;
  decided(
    door: string,
    username: string,
    source: string | null,
    ok: boolean,
    reason: string | null,
    milliseconds: number,
    requestId: string | null,
  ): void;
  /** The decision threw (the store failed) instead of deciding. */
  failed(door: string, err: unknown, milliseconds: number, requestId: string | null): void;
}

/** An attempt may say which request it belongs to; the decision itself never looks at it. */
type ObservedAttempt = SignInAttempt & { requestId?: string | null };

/**
 * The decider with its two entries (the non-browser check and the browser's password step) timed and
 * reported, wrapped once here so that no door has to remember to do it.
 */
function observeDecider(decider: ReturnType<typeof makeDecider>, o: SignInObserver) {
  const { signIn, checkBrowserPassword } = decider;
  return {
    ...decider,
    async signIn(attempt: ObservedAttempt): Promise<SignInResult> {
      const requestId = attempt.requestId ?? o.requestId();
      const started = performance.now();
      let r: SignInResult;
      try {
        r = await signIn(attempt);
      } catch (err) {
        o.failed(attempt.door, err, performance.now() - started, requestId);
        throw err;
      }
      o.decided(
        attempt.door,
        attempt.username,
        attempt.ip ?? null,
        r.ok,
        r.ok ? null : r.reason,
        performance.now() - started,
        requestId,
      );
      return r;
    },
    async checkBrowserPassword(attempt: Parameters<typeof checkBrowserPassword>[0]) {
      const requestId = o.requestId();
      const started = performance.now();
      let r: Awaited<ReturnType<typeof checkBrowserPassword>>;
      try {
        r = await checkBrowserPassword(attempt);
      } catch (err) {
        o.failed(BROWSER, err, performance.now() - started, requestId);
        throw err;
      }
      o.decided(
        BROWSER,
        attempt.username,
        attempt.ip ?? null,
        r.ok,
        r.ok ? null : r.reason,
        performance.now() - started,
        requestId,
      );
      return r;
    },
  };
}

export async function createCore(opts: CoreOptions) {
  const now = opts.now ?? Date.now;
  const usage = new UsageRecorder(opts.store, now);
  const relays = new RelaySet(opts.store, now, opts.relays ?? []);
  // Registered NAS carry their users' attempts: relays too, noted by the RADIUS door (radius-clients.ts).
  const nasRelays = new radiusClients.NasRelays(now);
  const settingsCache = new SettingsCache(opts.store, now);
  const checks = new CheckCache(opts.store, now, opts.checkCacheSize ?? DEFAULT_CHECK_CACHE_SIZE, () =>
    settingsCache.invalidate(),
  );
  const ctx: CoreContext = {
    store: opts.store,
    keys: opts.keys,
    now,
    settings: settingsCache,
    usage,
    checks,
    isRelay: (ip) => relays.has(ip) || nasRelays.has(ip),
    relays,
    passwordChecksPerSource: opts.passwordChecksPerSource ?? 0,
    publicUrl: opts.publicUrl ?? 'http://localhost:8080',
  };
  const fingerprint = keyFingerprint(opts.keys);
  if ((await initMeta(opts.store.db, 'key_fingerprint', fingerprint)) !== fingerprint) {
    throw new LatchkeyError(
      'KEY_MISMATCH',
      'The server keys do not match the ones this database was created with: every app password would be refused. ' +
        'Start with the original hmac.key and encryption.key (or LATCHKEY_HMAC_KEY / LATCHKEY_ENCRYPTION_KEY).',
    );
  }
  if ((opts.flushIntervalMs ?? 1000) > 0) usage.start(opts.flushIntervalMs ?? 1000);
  await checks.start();

  const decider = opts.observer ? observeDecider(makeDecider(ctx), opts.observer) : makeDecider(ctx);
  return {
    /** The core's insides, for wiring (main.ts, app.ts) and tests: pages use the narrow calls below. */
    ctx,
    /** The core's clock: what pages compare dates with, so that tests can move it. */
    now: (): number => ctx.now(),
    /** LATCHKEY_PUBLIC_URL: the address people use (the OpenID Connect issuer, WebAuthn's origin). */
    publicUrl: ctx.publicUrl,
    signIn: decider.signIn,
    /** Browser sign-in flows, sessions, sudo mode (issue 4). */
    browser: makeBrowser(ctx, decider),
    methods: bind(ctx, {
      listMethods: methods.listMethods,
      summary: methods.summary,
      addTotpMethod: methods.addTotpMethod,
      newSealedTotpSeed: methods.newSealedTotpSeed,
      openTotpSeed: methods.openTotpSeed,
      newRecoveryCodes: methods.newRecoveryCodes,
      removeMethod: methods.removeMethod,
      setDefaultMethod: methods.setDefaultMethod,
      requireReregistration: methods.requireReregistration,
      revokeRememberedDevices: methods.revokeRememberedDevices,
    }),
    users: bind(ctx, {
      createUser: users.createUser,
      createUserWithOneTimePassword: users.createUserWithOneTimePassword,
      initFirstAdmin: users.initFirstAdmin,
      getUser: users.getUser,
      listUsers: users.listUsers,
      userCount: users.userCount,
      setUserDisabled: users.setUserDisabled,
      updateUserProfile: users.updateUserProfile,
      setUserLanguage: users.setUserLanguage,
      setUserRole: users.setUserRole,
      patchUser: users.patchUser,
      importUsers: importer.importUsers,
      deleteUser: users.deleteUser,
      setPassword: users.setPassword,
    }),
    twoStep: bind(ctx, { setTwoStepState: twoStep.setTwoStepState }),
    appPasswords: bind(ctx, {
      createAppPassword: appPasswords.createAppPassword,
      listAppPasswords: appPasswords.listAppPasswords,
      deleteAppPassword: appPasswords.deleteAppPassword,
      deleteAllAppPasswords: appPasswords.deleteAllAppPasswords,
      revokeUnusedAppPasswords: appPasswords.revokeUnusedAppPasswords,
    }),
    /** Device sign-in for app passwords (spec B8): the API's start and poll, the approval page's steps. */
    deviceLogin: bind(ctx, {
      start: deviceLogin.startDeviceLogin,
      poll: deviceLogin.pollDeviceLogin,
      find: deviceLogin.findDeviceLogin,
      decide: deviceLogin.decideDeviceLogin,
      prune: deviceLogin.pruneDeviceLogins,
    }),
    settings: {
      ...bind(ctx, {
        getSettings: settingsService.getSettings,
        updateSettings: settingsService.updateSettings,
      }),
      /**
       * The organisation's settings as every page needs them (time zone, what is allowed), from the
       * cache: no permission check, unlike getSettings, which is the administrator's reading.
       */
      current: (): Promise<Settings> => ctx.settings.get(),
    },
    signInLog: bind(ctx, { listSignIns: signInLog.listSignIns, pruneSignIns: signInLog.pruneSignIns }),
    audit: bind(ctx, { listAudit: audit.listAudit }),
    tokens: {
      ...bind(ctx, {
        createToken: tokens.createToken,
        listTokens: tokens.listTokens,
        revokeToken: tokens.revokeToken,
      }),
      /** The actor behind an admin API bearer token, or null. */
      authenticate: tokens.makeTokenAuthenticator(ctx),
    },
    lockout: bind(ctx, {
      lockoutStatus: lockout.lockoutStatus,
      unlockUser: lockout.unlockUser,
      pruneLockoutState: lockout.pruneLockoutState,
    }),
    services: {
      ...bind(ctx, {
        addService: services.addService,
        listServices: services.listServices,
        deleteService: services.deleteService,
      }),
      /** Checks a service secret (and the bound name, for LDAP); null when it is not one. */
      authenticate: services.makeServiceAuthenticator(ctx),
    },
    directory: {
      ...bind(ctx, {
        findPerson: directory.findPerson,
        findPersonByEmail: directory.findPersonByEmail,
        personById: directory.personById,
        listPeople: directory.listPeople,
      }),
      canSearch: directory.canSearchDirectory,
    },
    /** OpenID Connect clients: administration, and what the provider reads (issue 10). */
    oidcClients: bind(ctx, {
      addClient: oidcClients.addClient,
      listClients: oidcClients.listClients,
      getClient: oidcClients.getClient,
      deleteClient: oidcClients.deleteClient,
      rotateClientSecret: oidcClients.rotateClientSecret,
      clientMetadata: oidcClients.clientMetadata,
      checkClientSecret: oidcClients.checkClientSecret,
      touchClient: oidcClients.touchClient,
    }),
    /** The OpenID Connect provider's signing keys (issue 10). */
    oidcKeys: bind(ctx, {
      signingKeys: oidcKeys.signingKeys,
      rotateKeys: oidcKeys.rotateKeys,
      listKeys: oidcKeys.listKeys,
      pruneKeys: oidcKeys.pruneKeys,
      keysVersion: oidcKeys.keysVersion,
    }),
    /** RADIUS clients (NAS) and what the RADIUS door needs of them (issue 13). */
    radiusClients: {
      ...bind(ctx, {
        addRadiusClient: radiusClients.addRadiusClient,
        listRadiusClients: radiusClients.listRadiusClients,
        deleteRadiusClient: radiusClients.deleteRadiusClient,
        forDoor: radiusClients.radiusClientsForDoor,
        recordRefusal: radiusClients.recordRadiusRefusal,
        addReplyRule: radiusReplies.addRadiusReplyRule,
        listReplyRules: radiusReplies.listRadiusReplyRules,
        deleteReplyRule: radiusReplies.deleteRadiusReplyRule,
        replyAttributes: radiusReplies.radiusReplyAttributes,
      }),
      /** The door got a packet from this registered NAS address: a relay for the decision from now on. */
      noteNas: (ip: string) => nasRelays.note(ip),
    },
    /** The apps a person let sign them in: list, remove, and the log of sign-ins to them. */
    oidcAccess: bind(ctx, {
      listAppAccess: oidcAccess.listAppAccess,
      revokeAppAccess: oidcAccess.revokeAppAccess,
      recordAppSignIn: oidcAccess.recordAppSignIn,
    }),
    /** The administrators' overview: sign-ins by door and day, top users (admin/overview page). */
    overview: bind(ctx, { getOverview: overview.getOverview }),
    /** The Apple configuration profile of the account's app passwords page: offered, then issued. */
    mailProfile: {
      ...bind(ctx, { offerAppleProfile: mailProfile.offerAppleProfile }),
      /** Issues the profile for the person at the browser, whose view names the accounts in it. */
      issueAppleProfile: (
        actor: Actor,
        user: BrowserUser,
        device: string,
        offerToken: string,
        signer: CmsSigner | null,
      ) =>
        mailProfile.issueAppleProfile(
          ctx,
          actor,
          { userId: user.id, username: user.username, email: user.email, displayName: user.displayName },
          device,
          offerToken,
          signer,
        ),
    },
    /** Housekeeping of the OpenID Connect provider's rows and keys. */
    oidcState: bind(ctx, { prune: pruneOidcState, appOfInteraction }),
    /** Mail logins made with an OpenID Connect token (introspection), in the sign-in log. */
    tokenSignIns: bind(ctx, { record: recordTokenSignIn }),
    /** Writes pending last-used data and sign-in aggregates, stops the timer. The store stays open. */
    close: async () => {
      await checks.close();
      await usage.close();
    },
  };
}

export type Core = Awaited<ReturnType<typeof createCore>>;
export type { Actor };
