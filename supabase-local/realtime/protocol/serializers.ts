/** Picks the serializer for the `vsn` query parameter (absent means 1.0.0, as on Supabase). */
import type { Serializer } from './message';
import { serializerV1 } from './serializer-v1';
import { serializerV2 } from './serializer-v2';

export function serializerFor(vsn: string | null): Serializer | undefined {
  if (vsn === null || vsn === '1.0.0') return serializerV1;
  if (vsn === '2.0.0') return serializerV2;
  return undefined;
}
