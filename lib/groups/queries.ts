/**
 * Group reads through supabase-js with explicit columns. RLS decides what a caller sees:
 * a teacher gets the groups they teach, a head of department their department's, an
 * admin all of them.
 */
import type { TypedSupabaseClient } from '@/lib/supabase/server';

export type GroupSummary = { id: string; name: string; subject: string; yearGroup: number };

export async function listVisibleGroups(supabase: TypedSupabaseClient): Promise<GroupSummary[]> {
  const { data, error } = await supabase
    .from('groups')
    .select('id, name, subject, year_group')
    .order('name', { ascending: true });
  if (error) throw new Error(`groups could not be read (${error.code})`);
  return data.map((row) => ({ id: row.id, name: row.name, subject: row.subject, yearGroup: row.year_group }));
}
