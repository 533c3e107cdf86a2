import type { AgencyKind } from './kinds.js';

/**
 * The minimum an agency must register in a campaign: the campaign's quota for the agency's kind, or, where
 * the campaign sets none for that kind, the registry's own number for the agency, else 0.
 */
export function requiredInitiatives(
  agency: { kind: AgencyKind; registryQuota: number | null },
  campaignQuotas: Partial<Record<AgencyKind, number>>,
): number {
  return campaignQuotas[agency.kind] ?? agency.registryQuota ?? 0;
}

/** How many more initiatives the agency must register (0 when the quota is met). */
export function shortBy(required: number, registered: number): number {
  return Math.max(0, required - registered);
}

/**
 * How far along toward what is required, in whole percent (at most 100): nothing required is done, so a quota of
 * 0 (an exempt agency) or a results phase with nothing registered shows 100.
 */
export function progressPercent(done: number, required: number): number {
  return required > 0 ? Math.min(100, Math.round((done / required) * 100)) : 100;
}
