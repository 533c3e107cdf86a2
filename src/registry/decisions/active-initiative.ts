import { OperationRefused } from '../../errors.js';

/**
 * The initiative a person's decision is about, which must exist and be active (counted): a replaced or withdrawn
 * one is history. Refuses otherwise.
 */
export function activeInitiative<T extends { id: string; status: string }>(
  initiative: T | undefined,
  id: string,
): T {
  if (!initiative) throw new OperationRefused('not_found', `no initiative ${id}`, { id });
  if (initiative.status !== 'active')
    throw new OperationRefused(
      'wrong_state',
      `initiative ${initiative.id} is ${initiative.status}, not active`,
    );
  return initiative;
}
