import type { AgencyKind } from './kinds.js';
import { AGENCY_KIND_ORDER } from './labels.js';
import { requiredInitiatives, shortBy } from './quota.js';

/** What the registry holds of one agency in one campaign: the counts standing is computed from. */
export interface AgencyCounts {
  id: string;
  code: string;
  name: string;
  kind: AgencyKind;
  registryQuota: number | null;
  /** Active initiatives registered. */
  registered: number;
  /** Active initiatives with a result reported. */
  reported: number;
  lastSubmissionAt: Date | null;
  /** Counted submissions that arrived after the agency's deadline (they still count). */
  late?: number;
  /** The district a commune or ward belongs to. */
  parentId?: string | null;
}

/** An agency's standing against its quota. */
export interface AgencyStanding {
  id: string;
  code: string;
  name: string;
  kind: AgencyKind;
  required: number;
  registered: number;
  reported: number;
  /** Registered initiatives still without a result. */
  unreported: number;
  shortBy: number;
  met: boolean;
  lastSubmissionAt: Date | null;
  /** Counted submissions that arrived after the deadline. */
  late: number;
  /** The campaign file exempts the agency: it is required nothing. */
  exempt: boolean;
  /** Communes and wards whose forms count toward this district, with what each registered. */
  members: { id: string; code: string; name: string; registered: number; reported: number }[];
}

interface Tally {
  agencies: number;
  met: number;
  short: number;
  required: number;
  registered: number;
  /** Registered initiatives that count toward the quotas (an agency's surplus does not make up another's gap). */
  countedTowardQuota: number;
  reported: number;
}

export interface CampaignStanding {
  /** Agencies still short first (by how much), then by kind and code. */
  agencies: AgencyStanding[];
  total: Tally;
  byKind: { kind: AgencyKind; tally: Tally }[];
}

export function agencyStanding(
  a: AgencyCounts,
  quotas: Partial<Record<AgencyKind, number>>,
  exempt = false,
): AgencyStanding {
  const required = exempt ? 0 : requiredInitiatives({ kind: a.kind, registryQuota: a.registryQuota }, quotas);
  const short = shortBy(required, a.registered);
  return {
    id: a.id,
    code: a.code,
    name: a.name,
    kind: a.kind,
    required,
    registered: a.registered,
    reported: a.reported,
    unreported: Math.max(0, a.registered - a.reported),
    shortBy: short,
    met: short === 0,
    lastSubmissionAt: a.lastSubmissionAt,
    late: a.late ?? 0,
    exempt,
    members: [],
  };
}

function tally(of: readonly AgencyStanding[]): Tally {
  return {
    agencies: of.length,
    met: of.filter((a) => a.met).length,
    short: of.filter((a) => !a.met).length,
    required: of.reduce((n, a) => n + a.required, 0),
    registered: of.reduce((n, a) => n + a.registered, 0),
    countedTowardQuota: of.reduce((n, a) => n + Math.min(a.registered, a.required), 0),
    reported: of.reduce((n, a) => n + a.reported, 0),
  };
}

/**
 * Every agency's standing in a campaign, with totals overall and per kind; the agencies the campaign exempts
 * (by code) are required nothing. Pure: counts in, standing out.
 */
export function campaignStandingOf(
  counts: readonly AgencyCounts[],
  quotas: Partial<Record<AgencyKind, number>>,
  exempt: ReadonlySet<string> = new Set(),
): CampaignStanding {
  const agencies = foldIntoDistricts(counts, quotas).map(({ counts: c, members }) => ({
    ...agencyStanding(c, quotas, exempt.has(c.code)),
    members,
  }));
  agencies.sort(
    (a, b) =>
      b.shortBy - a.shortBy ||
      AGENCY_KIND_ORDER[a.kind] - AGENCY_KIND_ORDER[b.kind] ||
      a.code.localeCompare(b.code),
  );
  const kinds = [...new Set(agencies.map((a) => a.kind))].sort(
    (a, b) => AGENCY_KIND_ORDER[a] - AGENCY_KIND_ORDER[b],
  );
  return {
    agencies,
    total: tally(agencies),
    byKind: kinds.map((kind) => ({ kind, tally: tally(agencies.filter((a) => a.kind === kind)) })),
  };
}

/**
 * Where the campaign has a district level (a quota for districts), a commune's or ward's forms count toward its
 * district (the source document: "UBND quận, huyện, thị xã (gồm UBND các xã, phường, thị trấn trực thuộc)") and
 * it is listed under it, not on its own; without one (the two-tier structure since 2025), each counts for itself.
 */
function foldIntoDistricts(counts: readonly AgencyCounts[], quotas: Partial<Record<AgencyKind, number>>) {
  const byId = new Map(
    counts.map((c) => [c.id, { counts: { ...c }, members: [] as AgencyStanding['members'] }]),
  );
  if (quotas.district === undefined) return [...byId.values()];
  for (const c of counts) {
    const parent = c.parentId ? byId.get(c.parentId) : undefined;
    if (!parent || c.kind === 'district' || c.kind === 'department') continue;
    parent.counts.registered += c.registered;
    parent.counts.reported += c.reported;
    const last = parent.counts.lastSubmissionAt;
    if (c.lastSubmissionAt && (!last || c.lastSubmissionAt > last))
      parent.counts.lastSubmissionAt = c.lastSubmissionAt;
    parent.members.push({
      id: c.id,
      code: c.code,
      name: c.name,
      registered: c.registered,
      reported: c.reported,
    });
    byId.delete(c.id);
  }
  return [...byId.values()];
}
