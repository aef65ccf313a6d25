import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';
import { forbidden } from '../http/errors.js';
import type { DatasetRow } from '../store/rows.js';
import { type AccessLevel, atLeast } from './levels.js';

/**
 * A dataset's export restrictions (spec §3.4), as stored in `datasets.export_restrictions`: whether downloads need
 * the administrators' approval, size limits, an IP allow-list and the users excepted from all of it.
 */
export interface ExportRestrictions {
  /** Downloads need approval: refused to everyone but editors and the excepted users. */
  requiresApproval?: boolean;
  /** Largest table (rows) that may leave. */
  maxRows?: number | null;
  /** Largest table or file (bytes) that may leave. */
  maxBytes?: number | null;
  /** CIDR ranges (or single addresses) downloads may go to; empty or absent = anywhere. */
  allowedIpRanges?: string[];
  /** User names the restrictions do not apply to. */
  exceptions?: string[];
}

/** The restrictions of a dataset, or null when it has none (malformed JSON counts as none: it is seeded by us). */
export function exportRestrictionsOf(
  dataset: Pick<DatasetRow, 'export_restrictions'>,
): ExportRestrictions | null {
  if (!dataset.export_restrictions) return null;
  try {
    const parsed = JSON.parse(dataset.export_restrictions) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as ExportRestrictions) : null;
  } catch {
    return null;
  }
}

/** The caller's address as the socket reports it (no forwarding headers: a client could forge them). */
export function clientAddress(c: Context<AppEnv>): string | undefined {
  try {
    return getConnInfo(c).remote.address ?? undefined;
  } catch {
    return undefined;
  }
}

function ipAllowed(address: string | undefined, ranges: readonly string[]): boolean {
  if (address === undefined) return false;
  const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  const family = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  for (const range of ranges) {
    const [ip, bits] = range.split('/');
    const kind = isIP(ip ?? '');
    if (kind === 0) continue;
    const type = kind === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(ip as string, type);
    else if (/^\d+$/.test(bits)) list.addSubnet(ip as string, Number(bits), type);
  }
  return list.check(plain, family);
}

/** What is about to leave: the dataset, the caller's standing, and the size of the data. */
export interface ExportSubject {
  dataset: Pick<DatasetRow, 'name' | 'export_restrictions'>;
  /** The caller's level on the dataset (editors are never restricted). */
  userLevel: AccessLevel;
  /** The caller's user name (for `exceptions`); undefined when anonymous (a signed URL's creator is used). */
  userName: string | undefined;
  rows?: number;
  bytes?: number;
}

/**
 * The reason the data may not leave, or undefined when it may. Every refusal names the dataset and the rule, so a
 * user knows whom to ask; the same text is the 403's description.
 */
export function exportRefusal(c: Context<AppEnv>, subject: ExportSubject): string | undefined {
  const rules = exportRestrictionsOf(subject.dataset);
  if (!rules || atLeast(subject.userLevel, 'edit')) return undefined;
  if (
    subject.userName &&
    rules.exceptions?.some((u) => u.toLowerCase() === subject.userName?.toLowerCase())
  ) {
    return undefined;
  }
  const prefix = `Export restrictions on dataset "${subject.dataset.name}" prevent this download`;
  if (rules.requiresApproval) return `${prefix}: exports require approval from the dataset administrators`;
  if (typeof rules.maxRows === 'number' && subject.rows !== undefined && subject.rows > rules.maxRows) {
    return `${prefix}: it has ${subject.rows} rows and at most ${rules.maxRows} may be exported`;
  }
  if (typeof rules.maxBytes === 'number' && subject.bytes !== undefined && subject.bytes > rules.maxBytes) {
    return `${prefix}: it is ${subject.bytes} bytes and at most ${rules.maxBytes} may be exported`;
  }
  if (rules.allowedIpRanges?.length && !ipAllowed(clientAddress(c), rules.allowedIpRanges)) {
    return `${prefix}: downloads are only allowed from the dataset's allowed IP ranges`;
  }
  return undefined;
}

/** Throws the documented 403 `forbidden` when {@link exportRefusal} refuses. */
export function assertExportAllowed(c: Context<AppEnv>, subject: ExportSubject): void {
  const reason = exportRefusal(c, subject);
  if (reason !== undefined) throw forbidden(reason);
}
