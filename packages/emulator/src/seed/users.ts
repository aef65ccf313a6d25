import type { Queryable } from '../store/db.js';
import { seededId } from '../store/ids.js';

/** A demo user. */
export interface DemoUser {
  id: string;
  name: string;
  fullName: string;
  email: string;
  /** Role in the `demo` organization. */
  role: 'admin' | 'member';
}

/** The demo users (ids are deterministic). */
export const DEMO_USERS: readonly DemoUser[] = [
  {
    id: seededId('user:demo_admin'),
    name: 'demo_admin',
    fullName: 'Demo Admin',
    email: 'demo_admin@example.com',
    role: 'admin',
  },
  {
    id: seededId('user:alice'),
    name: 'alice',
    fullName: 'Alice Liddell',
    email: 'alice@example.com',
    role: 'member',
  },
  {
    id: seededId('user:bob'),
    name: 'bob',
    fullName: 'Bob Builder',
    email: 'bob@example.com',
    role: 'member',
  },
];

/**
 * API tokens the demo seed registers (values are fixed so docs and tests can use them; only their hashes are
 * stored). demo_admin has every scope; alice can read data and edit; bob reads metadata only.
 */
export const DEMO_TOKENS: ReadonlyArray<{
  /** The demo user the token acts for. */
  userName: string;
  /** The token's name. */
  name: string;
  /** The bearer token to send. */
  value: string;
  /** The scopes it grants. */
  scopes: readonly string[];
}> = [
  {
    userName: 'demo_admin',
    name: 'demo admin token',
    value: 'rdv_demo_admin_token',
    scopes: [
      'public',
      'data.overview',
      'data.metadata',
      'data.data',
      'data.edit',
      'organization.read',
      'organization.write',
      'workflow.write',
    ],
  },
  {
    userName: 'alice',
    name: 'alice token',
    value: 'rdv_demo_alice_token',
    scopes: ['public', 'data.overview', 'data.metadata', 'data.data', 'data.edit', 'workflow.write'],
  },
  {
    userName: 'bob',
    name: 'bob token',
    value: 'rdv_demo_bob_token',
    scopes: ['public', 'data.overview', 'data.metadata'],
  },
];

/** Id of the demo organization. */
export const DEMO_ORG_ID = seededId('org:demo');

/** Inserts the demo organization, users and memberships. */
export async function seedUsers(tx: Queryable, t: number): Promise<void> {
  await tx.run('INSERT INTO organizations VALUES (?, ?, ?, NULL, ?)', [
    DEMO_ORG_ID,
    'demo',
    'Demo organization',
    t,
  ]);
  for (const u of DEMO_USERS) {
    await tx.run('INSERT INTO users VALUES (?, ?, ?, ?, NULL, ?)', [u.id, u.name, u.fullName, u.email, t]);
    await tx.run(
      `INSERT INTO members (org_id, user_id, status, is_admin, labels, created_at, submitted_at, approved_at)
       VALUES (?, ?, 'approved', ?, ?, ?, ?, ?)`,
      [
        DEMO_ORG_ID,
        u.id,
        u.role === 'admin',
        JSON.stringify(u.role === 'admin' ? ['staff'] : ['researcher']),
        t,
        t,
        t,
      ],
    );
  }
}
