import { z } from 'zod';

/**
 * The OAuth-style error body the official clients parse: `{ error, error_description, status, scope,
 * amr_values }`. On `403 insufficient_scope`, `scope` lists the needed scopes (space-separated).
 */
export const oauthErrorBodySchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
  status: z.int().optional(),
  scope: z.string().nullable().optional(),
  amr_values: z.array(z.string()).nullable().optional(),
});
/** An OAuth-style error body; see {@link oauthErrorBodySchema}. */
export type OAuthErrorBody = z.infer<typeof oauthErrorBodySchema>;

/** The documented (legacy) error body: `{ error: { message, status } }`. */
export const nestedErrorBodySchema = z.looseObject({
  error: z.looseObject({ message: z.string(), status: z.int().optional() }),
});
/** A nested error body; see {@link nestedErrorBodySchema}. */
export type NestedErrorBody = z.infer<typeof nestedErrorBodySchema>;

/** Either error body shape (also the URL-decoded `X-Redivis-Error-Payload` header of HEAD responses). */
export const errorBodySchema = z.union([oauthErrorBodySchema, nestedErrorBodySchema]);
/** An error body; see {@link errorBodySchema}. */
export type ErrorBody = z.infer<typeof errorBodySchema>;

/**
 * A successful `POST /oauth/token` response. `access_token`, `expires_in` (seconds) and `expires_at` (epoch
 * **seconds**) are required: the clients store and compare them.
 */
export const oauthTokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  refresh_token: z.string().optional(),
  expires_in: z.number().nonnegative(),
  expires_at: z.number(),
  scope: z.string().optional(),
});
/** A token response; see {@link oauthTokenResponseSchema}. */
export type OAuthTokenResponse = z.infer<typeof oauthTokenResponseSchema>;

/**
 * A `POST /oauth/device_authorization` response. `device_code` and `verification_uri_complete` are required;
 * `interval` (seconds) may be `null`, meaning 5.
 */
export const deviceAuthorizationResponseSchema = z.looseObject({
  device_code: z.string().min(1),
  user_code: z.string().optional(),
  verification_uri: z.string().optional(),
  verification_uri_complete: z.string().min(1),
  interval: z.number().positive().nullable().optional(),
  expires_in: z.number().positive().optional(),
});
/** A device authorization response; see {@link deviceAuthorizationResponseSchema}. */
export type DeviceAuthorizationResponse = z.infer<typeof deviceAuthorizationResponseSchema>;
