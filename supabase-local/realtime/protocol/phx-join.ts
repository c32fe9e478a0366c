/**
 * `phx_join` as realtime-js sends it: `{config: {broadcast, presence, postgres_changes,
 * private}, access_token?, version?}` on topic `realtime:<name>`.
 */
import { z } from 'zod';

export const postgresChangeParamsSchema = z.object({
  event: z.string(),
  schema: z.string(),
  table: z.string().optional(),
  filter: z.string().optional(),
});
export type PostgresChangeParams = z.infer<typeof postgresChangeParamsSchema>;

export const joinConfigSchema = z.object({
  broadcast: z.object({ self: z.boolean().optional(), ack: z.boolean().optional() }).passthrough().optional(),
  presence: z.object({ key: z.string().optional(), enabled: z.boolean().optional() }).passthrough().optional(),
  postgres_changes: z.array(postgresChangeParamsSchema).optional(),
  private: z.boolean().optional(),
});
export type JoinConfig = z.infer<typeof joinConfigSchema>;

export const phxJoinSchema = z.object({
  event: z.literal('phx_join'),
  topic: z.string(),
  payload: z
    .object({
      config: joinConfigSchema.optional(),
      access_token: z.string().nullish(),
      user_token: z.string().nullish(),
    })
    .passthrough(),
});
