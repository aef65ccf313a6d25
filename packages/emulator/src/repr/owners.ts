import type { OrganizationProperties, OwnerProperties, UserProperties } from '@redivis-ts/core';
import type { UserRow } from '../store/rows.js';
import type { Owner } from '../store/owners.js';
import type { OrgRow } from '../store/rows.js';

/** `user.base` (spec §6.9). */
export function userRepr(u: UserRow): UserProperties {
  return {
    kind: 'user',
    name: u.name,
    fullName: u.full_name,
    contactEmail: u.contact_email,
    orcid: u.orcid,
    uri: `/users/${u.name}`,
  };
}

/** `organization.base` (spec §6.6). */
export function organizationRepr(o: OrgRow): OrganizationProperties {
  return {
    kind: 'organization',
    name: o.name,
    fullName: o.full_name,
    ror: o.ror,
    uri: `/organizations/${o.name}`,
  };
}

/** The owner object of datasets and workflows (`user.base` or `organization.base`). */
export function ownerRepr(owner: Owner): OwnerProperties {
  return owner.kind === 'user'
    ? { ...userRepr(owner.row), kind: 'user' }
    : { ...organizationRepr(owner.row), kind: 'organization' };
}
