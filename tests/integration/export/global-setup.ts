import { resolve } from 'node:path';
import { stackGlobalSetup } from '../../support/stack-global-setup';

// The product's own migrations and demo seed.
const root = resolve(import.meta.dirname, '../../..');
export default stackGlobalSetup({ migrations: resolve(root, 'supabase/migrations'), seed: resolve(root, 'supabase/seed.sql') });
