/** The demo logins to print: every staff member with an email, read from the database. */
import pg from 'pg';

export type DemoLogin = { email: string; role: string; department: string | null };

export async function readDemoLogins(dbUrl: string): Promise<DemoLogin[]> {
  const client = new pg.Client({ connectionString: dbUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    const exists = await client.query<{ ok: boolean }>(`select to_regclass('public.staff') is not null as ok`);
    if (!exists.rows[0]?.ok) return [];
    const result = await client.query<DemoLogin>(`
      select u.email::text as email, s.role, d.name as department
      from public.staff s
      join auth.users u on u.id = s.id
      left join public.departments d on d.id = s.department_id
      where u.email is not null
      order by case s.role when 'teacher' then 0 when 'head_of_department' then 1 else 2 end, u.email`);
    return result.rows;
  } finally {
    await client.end();
  }
}
