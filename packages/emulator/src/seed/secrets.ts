import type { Queryable } from '../store/db.js';

/** Seeds one secret on the demo organization and one on demo_admin. */
export async function seedSecrets(tx: Queryable, t: number): Promise<void> {
  const org = await tx.one<{ id: string }>("SELECT id FROM organizations WHERE name = 'demo'");
  const admin = await tx.one<{ id: string }>("SELECT id FROM users WHERE name = 'demo_admin'");
  if (org)
    await tx.run("INSERT INTO secrets VALUES ('organization', ?, 'api_key', 'demo-org-secret', ?)", [
      org.id,
      t,
    ]);
  if (admin)
    await tx.run("INSERT INTO secrets VALUES ('user', ?, 'personal_key', 'demo-admin-secret', ?)", [
      admin.id,
      t,
    ]);
}
