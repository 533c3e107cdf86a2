import { useServices } from './global-setup.js';

// The operations tier: PostgreSQL alone (scripts/services.sh up pg).
export default function setup(): () => void {
  return useServices('pg');
}
