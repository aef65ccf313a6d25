import type { MemberProperties } from '@redivis-ts/core';
import type { UserRow } from '../store/rows.js';
import type { EmulatorContext } from '../context.js';
import type { Owner } from '../store/owners.js';
import type { MemberRow } from '../store/rows.js';
import { userRepr } from './owners.js';

/** Member representation (spec §6.4). Authentication is by email in the emulator. */
export async function memberRepr(ctx: EmulatorContext, org: Owner, m: MemberRow): Promise<MemberProperties> {
  const user = (await ctx.db.one<UserRow>('SELECT * FROM users WHERE id = ?', [m.user_id])) as UserRow;
  return {
    kind: 'member',
    uri: `/organizations/${org.name}/members/${user.name}`,
    url: `${ctx.origin}/organizations/${org.name}/admin/members/${user.name}`,
    createdAt: m.created_at,
    submittedAt: m.submitted_at,
    approvedAt: m.approved_at,
    rejectedAt: m.rejected_at,
    leftAt: m.left_at,
    status: m.status,
    isAdmin: m.is_admin,
    labels: JSON.parse(m.labels) as string[],
    user: userRepr(user),
    authentication: {
      kind: 'authentication',
      type: 'email',
      identifier: user.contact_email,
      lastLogin: null,
      email: user.contact_email,
      affiliations: [],
      identityProvider: null,
    },
  };
}
