import { z } from 'zod';
import { accessLevelSchema, timestampSchema } from './common.js';
import { datasetBaseSchema } from './datasets.js';
import { userSchema } from './owners.js';

/** Membership statuses (`revoked` is legacy but still a documented filter). */
export const memberStatusSchema = z.enum(['pending', 'approved', 'rejected', 'left', 'revoked']);
/** A membership status. */
export type MemberStatus = z.infer<typeof memberStatusSchema>;

/** The identity a member must use in the organization. */
export const memberAuthenticationSchema = z.looseObject({
  kind: z.literal('authentication').optional(),
  type: z.enum(['saml', 'google', 'email']).optional(),
  identifier: z.string().nullable().optional(),
  lastLogin: timestampSchema.nullable().optional(),
  email: z.string().nullable().optional(),
  affiliations: z.array(z.unknown()).nullable().optional(),
  identityProvider: z
    .looseObject({
      kind: z.literal('identityProvider').optional(),
      domain: z.string().nullable().optional(),
      name: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
});
/** A member's authentication; see {@link memberAuthenticationSchema}. */
export type MemberAuthentication = z.infer<typeof memberAuthenticationSchema>;

/**
 * An organization member. Required: `uri`, `user` (with `name`) and `labels`, which the clients read.
 */
export const memberSchema = z.looseObject({
  kind: z.literal('member').optional(),
  /** `/organizations/<orgName>/members/<userName>`. */
  uri: z.string().min(1),
  url: z.string().optional(),
  createdAt: timestampSchema.optional(),
  submittedAt: timestampSchema.nullable().optional(),
  approvedAt: timestampSchema.nullable().optional(),
  rejectedAt: timestampSchema.nullable().optional(),
  leftAt: timestampSchema.nullable().optional(),
  status: memberStatusSchema.optional(),
  isAdmin: z.boolean().optional(),
  labels: z.array(z.string()),
  user: userSchema,
  authentication: memberAuthenticationSchema.nullable().optional(),
});
/** A member; see {@link memberSchema}. */
export type MemberProperties = z.infer<typeof memberSchema>;

/**
 * A user's effective access to a dataset (Access, beta). The three fields that make up the resource are required.
 */
export const accessSchema = z.looseObject({
  kind: z.literal('access').optional(),
  accessLevel: accessLevelSchema,
  dataset: datasetBaseSchema,
  user: userSchema,
});
/** An access entry; see {@link accessSchema}. */
export type AccessProperties = z.infer<typeof accessSchema>;
