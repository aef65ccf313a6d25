/** Dataset access levels, ascending (spec §2.8). */
export const ACCESS_LEVELS = ['none', 'overview', 'metadata', 'sample', 'data', 'edit'] as const;

/** One dataset access level. */
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** Whether `value` names an access level. */
export function isAccessLevel(value: unknown): value is AccessLevel {
  return typeof value === 'string' && (ACCESS_LEVELS as readonly string[]).includes(value);
}

/** Rank of a level (none = 0 … edit = 5). */
export function levelRank(level: AccessLevel): number {
  return ACCESS_LEVELS.indexOf(level);
}

/** `a >= b`. */
export function atLeast(a: AccessLevel, b: AccessLevel): boolean {
  return levelRank(a) >= levelRank(b);
}

/** The higher of the levels. */
export function maxLevel(...levels: AccessLevel[]): AccessLevel {
  let best: AccessLevel = 'none';
  for (const l of levels) if (levelRank(l) > levelRank(best)) best = l;
  return best;
}

/** The lower of two levels. */
export function minLevel(a: AccessLevel, b: AccessLevel): AccessLevel {
  return levelRank(a) <= levelRank(b) ? a : b;
}

/** Every scope an API token may carry (spec §3.1, plus the client-observed `workflow.write`). */
export const ALL_SCOPES = [
  'public',
  'data.overview',
  'data.metadata',
  'data.data',
  'data.edit',
  'organization.read',
  'organization.write',
  'workflow.write',
] as const;

/** Highest dataset level a token's scopes reach (spec §3.1: data.overview → overview, …, data.edit → edit). */
export function scopeCeiling(scopes: ReadonlySet<string>): AccessLevel {
  if (scopes.has('data.edit')) return 'edit';
  if (scopes.has('data.data')) return 'data';
  if (scopes.has('data.metadata')) return 'metadata';
  if (scopes.has('data.overview')) return 'overview';
  return 'none';
}

/** Scopes, any one of which allows reading at `level` (spec §3.1). `sample` needs data scope [inferred]. */
export function scopesForLevel(level: AccessLevel): string[] {
  switch (level) {
    case 'none':
      return [];
    case 'overview':
      return ['data.overview', 'data.metadata', 'data.data', 'data.edit'];
    case 'metadata':
      return ['data.metadata', 'data.data', 'data.edit'];
    case 'sample':
    case 'data':
      return ['data.data', 'data.edit'];
    case 'edit':
      return ['data.edit'];
  }
}
