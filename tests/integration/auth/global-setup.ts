import { resolve } from 'node:path';
import { stackGlobalSetup } from '../../support/stack-global-setup';

export default stackGlobalSetup({ migrations: resolve(import.meta.dirname, '../../fixtures/auth-migrations') });
