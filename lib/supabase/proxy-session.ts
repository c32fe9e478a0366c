/**
 * Session handling for proxy.ts, as @supabase/ssr recommends for Next.js: on every request
 * verify the session (refreshing the access token when it is due) and copy any new auth
 * cookies both onto the request (so this render sees them) and onto the response (so the
 * browser keeps them). Signed-out visitors go to /login; signed-in ones skip it.
 */
import { createServerClient } from '@supabase/ssr';
import { NextResponse, type NextRequest } from 'next/server';
import { serverEnv } from '@/lib/env';
import type { Database } from './database.types';

const PUBLIC_PATHS = ['/login'];

export async function updateSession(request: NextRequest): Promise<NextResponse> {
  const env = serverEnv();
  let response = NextResponse.next({ request });
  const supabase = createServerClient<Database>(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
    cookies: {
      getAll() {
        return request.cookies.getAll();
      },
      setAll(cookiesToSet, headers) {
        for (const { name, value } of cookiesToSet) request.cookies.set(name, value);
        response = NextResponse.next({ request });
        for (const { name, value, options } of cookiesToSet) response.cookies.set(name, value, options);
        // Cache-Control and friends, so no CDN caches a response that sets a session.
        for (const [key, value] of Object.entries(headers)) response.headers.set(key, value);
      },
    },
  });

  // Nothing may run between creating the client and this call: it is what refreshes the
  // session, and a stale token here logs users out at random.
  const { data } = await supabase.auth.getClaims();
  const signedIn = Boolean(data?.claims.sub);
  const { pathname } = request.nextUrl;
  const isPublic = PUBLIC_PATHS.some((path) => pathname === path || pathname.startsWith(`${path}/`));

  if (!signedIn && !isPublic) return redirectKeepingCookies(request, response, '/login');
  if (signedIn && pathname === '/login') return redirectKeepingCookies(request, response, '/');
  return response;
}

function redirectKeepingCookies(request: NextRequest, from: NextResponse, pathname: string): NextResponse {
  const url = request.nextUrl.clone();
  url.pathname = pathname;
  url.search = '';
  const redirect = NextResponse.redirect(url);
  for (const cookie of from.cookies.getAll()) redirect.cookies.set(cookie);
  return redirect;
}
