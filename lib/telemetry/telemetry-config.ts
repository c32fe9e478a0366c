/** Telemetry settings from the environment, parsed once: TELEM_ENABLED (off by default), TELEM_PATH. */
import { z } from 'zod';

const telemetryEnvSchema = z.object({
  TELEM_ENABLED: z
    .string()
    .optional()
    .transform((value) => ['1', 'true', 'yes', 'on'].includes((value ?? '').trim().toLowerCase())),
  TELEM_PATH: z.string().min(1).default('logs'),
});

export type TelemetryConfig = { enabled: boolean; directory: string };

export function telemetryConfigFromEnv(env: Record<string, string | undefined> = process.env): TelemetryConfig {
  const parsed = telemetryEnvSchema.parse({ TELEM_ENABLED: env.TELEM_ENABLED, TELEM_PATH: env.TELEM_PATH || undefined });
  return { enabled: parsed.TELEM_ENABLED, directory: parsed.TELEM_PATH };
}
