import { z } from 'zod';

/**
 * A Redivis user (`user.base`; also the body of `GET /users/me`). `name` is required: the clients read it.
 */
export const userSchema = z.looseObject({
  kind: z.literal('user').optional(),
  /** Username, `[A-Za-z0-9_]`. */
  name: z.string().min(1),
  fullName: z.string().nullable().optional(),
  contactEmail: z.string().nullable().optional(),
  orcid: z.string().nullable().optional(),
  uri: z.string().optional(),
});
/** A user; see {@link userSchema}. */
export type UserProperties = z.infer<typeof userSchema>;

/** A Redivis organization (`organization.base`). */
export const organizationSchema = z.looseObject({
  kind: z.literal('organization').optional(),
  /** Account name, `[A-Za-z0-9_]`. */
  name: z.string().min(1),
  fullName: z.string().nullable().optional(),
  ror: z.string().nullable().optional(),
  uri: z.string().optional(),
});
/** An organization; see {@link organizationSchema}. */
export type OrganizationProperties = z.infer<typeof organizationSchema>;

/**
 * The owner of a dataset or workflow: a user or an organization, told apart by the required `kind` (the clients
 * branch on `owner.kind`). Also matches the legacy `{ kind, name }` shape.
 */
export const ownerSchema = z.discriminatedUnion('kind', [
  userSchema.extend({ kind: z.literal('user') }),
  organizationSchema.extend({ kind: z.literal('organization') }),
]);
/** An owner; see {@link ownerSchema}. */
export type OwnerProperties = z.infer<typeof ownerSchema>;
