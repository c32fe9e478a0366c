/** The signed-in staff member's role and department (one select; RLS lets staff read staff). */
import { z } from 'zod';
import type { TypedSupabaseClient } from '@/lib/supabase/server';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';

const staffSchema = z.object({
  role: z.enum(['teacher', 'head_of_department', 'admin']),
  department_id: z.guid().nullable(),
});

export type StaffRole = z.infer<typeof staffSchema>['role'];
export type StaffProfile = { role: StaffRole; departmentId: string | null };

export const loadStaffProfile = withTelemetry(
  'loader.staffProfile',
  async (supabase: TypedSupabaseClient, userId: string): Promise<StaffProfile | null> => {
    const { data, error } = await supabase.from('staff').select('role, department_id').eq('id', userId).maybeSingle();
    if (error) throw new Error(`staff could not be read (${error.code})`);
    const parsed = staffSchema.safeParse(data);
    return parsed.success ? { role: parsed.data.role, departmentId: parsed.data.department_id } : null;
  },
);
