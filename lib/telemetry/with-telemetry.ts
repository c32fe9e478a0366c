/**
 * `withTelemetry(name, fn)` wraps a server pathway (server action, loader, route handler,
 * worker step): one JSON line per call with its name, redacted params, start time,
 * duration, outcome, error code and row count. When telemetry is disabled it returns `fn`
 * itself, so the disabled cost is one check at wrap time.
 */
import { redactParams } from './redact-params';
import { telemetryConfigFromEnv, type TelemetryConfig } from './telemetry-config';
import { createTelemetrySink, type TelemetrySink } from './telemetry-sink';

export type TelemetryRecord = {
  ts: string;
  fn: string;
  params: unknown;
  durationMs: number;
  outcome: 'ok' | 'error';
  errorCode?: string;
  rowCount?: number;
};

export type WrapOptions<R> = { rowCount?: (result: R) => number | undefined };

type AsyncFn<A extends unknown[], R> = (...args: A) => Promise<R>;

function errorCodeOf(error: unknown): string {
  if (error && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code) return code;
    if (error instanceof Error) return error.name;
  }
  return 'unknown';
}

/** `{ ok: false, code }` results (ActionResult) count as failures with their code. */
function failedResultCode(result: unknown): string | undefined {
  if (result && typeof result === 'object' && (result as { ok?: unknown }).ok === false) {
    const code = (result as { code?: unknown }).code;
    return typeof code === 'string' ? code : 'failed';
  }
  return undefined;
}

function defaultRowCount(result: unknown): number | undefined {
  if (Array.isArray(result)) return result.length;
  const data = result && typeof result === 'object' ? (result as { data?: unknown }).data : undefined;
  return Array.isArray(data) ? data.length : undefined;
}

export type Telemetry = {
  readonly enabled: boolean;
  readonly sink: TelemetrySink | undefined;
  wrap<A extends unknown[], R>(name: string, fn: AsyncFn<A, R>, options?: WrapOptions<R>): AsyncFn<A, R>;
};

export function createTelemetry(config: TelemetryConfig, sink?: TelemetrySink): Telemetry {
  if (!config.enabled) return { enabled: false, sink: undefined, wrap: (_name, fn) => fn };
  const target = sink ?? createTelemetrySink(config.directory);
  return {
    enabled: true,
    sink: target,
    wrap(name, fn, options) {
      return async (...args) => {
        const startedAt = new Date();
        const start = performance.now();
        const record = (outcome: 'ok' | 'error', extra: Partial<TelemetryRecord>) =>
          target.write({
            ts: startedAt.toISOString(),
            fn: name,
            params: redactParams(args.length === 1 ? args[0] : args),
            durationMs: Math.round((performance.now() - start) * 1000) / 1000,
            outcome,
            ...extra,
          } satisfies TelemetryRecord);
        try {
          const result = await fn(...args);
          const failedCode = failedResultCode(result);
          const rowCount = options?.rowCount ? options.rowCount(result) : defaultRowCount(result);
          record(failedCode ? 'error' : 'ok', {
            ...(failedCode ? { errorCode: failedCode } : {}),
            ...(rowCount === undefined ? {} : { rowCount }),
          });
          return result;
        } catch (error) {
          record('error', { errorCode: errorCodeOf(error) });
          throw error;
        }
      };
    },
  };
}

let processTelemetry: Telemetry | undefined;

/** The process's telemetry, configured from the environment on first use. */
export function processWideTelemetry(): Telemetry {
  processTelemetry ??= createTelemetry(telemetryConfigFromEnv());
  return processTelemetry;
}

export function withTelemetry<A extends unknown[], R>(name: string, fn: AsyncFn<A, R>, options?: WrapOptions<R>): AsyncFn<A, R> {
  return processWideTelemetry().wrap(name, fn, options);
}
