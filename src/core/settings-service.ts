// Reading and changing organization settings, audited with before/after values.

import { readSettings, writeSetting } from '../store/settings.js';
import { recordAudit } from './audit.js';
import type { CoreContext } from './context.js';
import { type Actor, authorize } from './policy.js';
import { parseSettingValue, type Settings, settingsFromStored } from './settings.js';
import { afterTwoStepRequirementChange } from './two-step.js';

export async function getSettings(ctx: CoreContext, actor: Actor): Promise<Settings> {
  authorize(actor, 'settings.read');
  return settingsFromStored(await readSettings(ctx.store.db));
}

/**
 * Sets several settings at once: all are checked first, then written in one transaction, with what
 * the change means for people's app passwords (afterTwoStepRequirementChange) in the same one.
 */
export async function updateSettings(
  ctx: CoreContext,
  actor: Actor,
  changes: Record<string, unknown>,
): Promise<Settings> {
  authorize(actor, 'settings.write');
  const parsed = Object.entries(changes).map(([k, v]) => [k, parseSettingValue(k, v)] as const);
  const result = await ctx.store.transaction(async (trx) => {
    const before = settingsFromStored(await readSettings(trx));
    const now = ctx.now();
    for (const [k, v] of parsed) {
      await writeSetting(trx, k, JSON.stringify(v), now);
      const old = (before as Record<string, unknown>)[k];
      if (old !== v) await recordAudit(ctx, trx, actor, 'settings.changed', k, { before: old, after: v });
    }
    const after = settingsFromStored(await readSettings(trx));
    await afterTwoStepRequirementChange(ctx, trx, actor, before, after);
    return after;
  });
  ctx.settings.invalidate();
  return result;
}
