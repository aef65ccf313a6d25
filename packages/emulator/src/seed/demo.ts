import { randomUUID } from 'node:crypto';
import { hashToken } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import { getMeta, setMeta } from '../store/schema.js';
import { seedDatasets } from './datasets.js';
import { DEMO_TOKENS, DEMO_USERS, seedUsers } from './users.js';
import { seedDemoFiles } from './demo-files.js';
import { seedFiles } from './files.js';
import { seedSecrets } from './secrets.js';
import { seedWeatherAnalysis } from './weather-analysis.js';

const SEED_MARKER = 'seed.demo';

/**
 * Seeds the demo organization, users, tokens and datasets, once per data directory (a marker row records it, so
 * a restart finds the data as it was, including later edits and revocations).
 */
export async function seedDemo(ctx: EmulatorContext): Promise<void> {
  if (await getMeta(ctx.db, SEED_MARKER)) return;
  const t = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await seedUsers(tx, t);
    for (const token of DEMO_TOKENS) {
      const user = DEMO_USERS.find((u) => u.name === token.userName);
      if (!user) continue;
      await tx.run('INSERT INTO api_tokens VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)', [
        randomUUID(),
        user.id,
        token.name,
        hashToken(token.value),
        token.scopes.join(' '),
        t,
        t,
      ]);
    }
    await seedDatasets(tx, t, ctx.options.seedRows);
    await seedWeatherAnalysis(tx, t);
    await seedSecrets(tx, t);
    await seedFiles(tx, t);
    await seedDemoFiles(tx, t);
    await setMeta(tx, SEED_MARKER, JSON.stringify({ seededAt: t, seedRows: ctx.options.seedRows }));
  });
}
