import type { Queryable } from './db.js';
import type { MemberRow, OrgRow, UserRow } from './rows.js';

/** The owner of a dataset or workflow. */
export type Owner =
  | { kind: 'user'; id: string; name: string; row: UserRow }
  | { kind: 'organization'; id: string; name: string; row: OrgRow };

/** A user by name (case-insensitive). */
export function findUserByName(db: Queryable, name: string): Promise<UserRow | undefined> {
  return db.one<UserRow>('SELECT * FROM users WHERE lower(name) = lower(?)', [name]);
}

/** An organization by name (case-insensitive). */
export function findOrgByName(db: Queryable, name: string): Promise<OrgRow | undefined> {
  return db.one<OrgRow>('SELECT * FROM organizations WHERE lower(name) = lower(?)', [name]);
}

/** The user or organization called `name` (names are unique across both on Redivis; users win a tie here). */
export async function findOwner(db: Queryable, name: string): Promise<Owner | undefined> {
  const user = await findUserByName(db, name);
  if (user) return { kind: 'user', id: user.id, name: user.name, row: user };
  const org = await findOrgByName(db, name);
  if (org) return { kind: 'organization', id: org.id, name: org.name, row: org };
  return undefined;
}

/** The owner with this kind and id. */
export async function ownerById(db: Queryable, kind: 'user' | 'organization', id: string): Promise<Owner> {
  if (kind === 'user') {
    const row = (await db.one<UserRow>('SELECT * FROM users WHERE id = ?', [id])) as UserRow;
    return { kind, id, name: row.name, row };
  }
  const row = (await db.one<OrgRow>('SELECT * FROM organizations WHERE id = ?', [id])) as OrgRow;
  return { kind, id, name: row.name, row };
}

/** The membership of a user in an organization, if any. */
export function findMembership(db: Queryable, orgId: string, userId: string): Promise<MemberRow | undefined> {
  return db.one<MemberRow>('SELECT * FROM members WHERE org_id = ? AND user_id = ?', [orgId, userId]);
}

/** Whether the user is an approved administrator of the organization. */
export async function isOrgAdmin(db: Queryable, orgId: string, userId: string | undefined): Promise<boolean> {
  if (!userId) return false;
  const m = await findMembership(db, orgId, userId);
  return !!m && m.is_admin && m.status === 'approved';
}
