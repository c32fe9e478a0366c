/**
 * Signs in through the app's own login form exactly as a browser without JavaScript does:
 * GET /login, post the form (its hidden server-action fields plus email and password) as
 * multipart/form-data, and keep the session cookies the 303 answer sets (@supabase/ssr's
 * `sb-<ref>-auth-token`, possibly chunked). Returns them as a Cookie header value.
 */
const ENTITIES: Record<string, string> = { '&quot;': '"', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&#x27;': "'", '&#39;': "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(?:quot|amp|lt|gt|#x27|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** The hidden inputs of the page's first form, in order (React's server-action fields). */
export function hiddenFormFields(html: string): Array<[string, string]> {
  const form = /<form\b[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1];
  if (!form) throw new Error('no form on the login page');
  const fields: Array<[string, string]> = [];
  for (const input of form.matchAll(/<input\b[^>]*>/g)) {
    const tag = input[0];
    if (!/\btype="hidden"/.test(tag)) continue;
    const name = /\bname="([^"]*)"/.exec(tag)?.[1];
    if (name === undefined) continue;
    fields.push([decodeEntities(name), decodeEntities(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '')]);
  }
  return fields;
}

export async function signInThroughForm(baseUrl: string, email: string, password: string): Promise<string> {
  const page = await fetch(`${baseUrl}/login`);
  if (page.status !== 200) throw new Error(`GET /login answered ${page.status}`);
  const form = new FormData();
  for (const [name, value] of hiddenFormFields(await page.text())) form.append(name, value);
  form.append('email', email);
  form.append('password', password);
  const answer = await fetch(`${baseUrl}/login`, { method: 'POST', body: form, redirect: 'manual' });
  await answer.body?.cancel();
  const cookies = answer.headers.getSetCookie().map((line) => line.split(';', 1)[0]!).filter((pair) => /^sb-[^=]*-auth-token/.test(pair));
  if (answer.status !== 303 || cookies.length === 0) throw new Error(`signing in as ${email} through /login failed (HTTP ${answer.status})`);
  const cookie = cookies.join('; ');
  // The proxy sends a signed-in visitor of /login home (a page that loads no report data,
  // so the check costs the server nothing the measurements would then carry).
  const check = await fetch(`${baseUrl}/login`, { headers: { cookie }, redirect: 'manual' });
  await check.body?.cancel();
  if (check.status < 300 || check.status >= 400 || new URL(check.headers.get('location') ?? '', baseUrl).pathname !== '/') {
    throw new Error(`the session cookie from /login is not accepted (GET /login answered ${check.status})`);
  }
  return cookie;
}
