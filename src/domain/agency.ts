import { z } from 'zod';
import { AGENCY_KINDS } from './kinds.js';
import { normalizeSpace } from './text.js';

/** One row of the agency registry file (`code,name,kind,quota,email`). */
export const AgencyRow = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'code must be a lowercase ASCII slug such as so-tu-phap'),
  name: z.string().trim().min(1, 'name is empty').transform(normalizeSpace),
  kind: z.enum(AGENCY_KINDS, { error: `kind must be one of ${AGENCY_KINDS.join(', ')}` }),
  quota: z
    .string()
    .trim()
    .regex(/^\d*$/, 'quota must be a whole number, 0 or more')
    .transform((s) => (s === '' ? null : Number(s))),
  // The code of the district a commune or ward belongs to (optional).
  parent: z
    .string()
    .trim()
    .transform((s) => (s === '' ? null : s))
    .pipe(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]*$/, 'parent must be an agency code')
        .nullable(),
    ),
  // One address, or several separated by ";".
  emails: z
    .string()
    .transform((s) =>
      s
        .split(/[;\s]+/)
        .map((e) => e.trim().toLowerCase())
        .filter((e) => e !== ''),
    )
    .pipe(z.array(z.email('email is not a valid address')).min(1, 'email is empty')),
});
export type AgencyRow = z.infer<typeof AgencyRow>;
