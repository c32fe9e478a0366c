/**
 * Next 16's proxy (formerly middleware): keeps the Supabase session cookie fresh on every
 * page request and sends signed-out visitors to /login. See lib/supabase/proxy-session.ts.
 */
import type { NextRequest } from 'next/server';
import { updateSession } from '@/lib/supabase/proxy-session';

export async function proxy(request: NextRequest) {
  return updateSession(request);
}

export const config = {
  // Everything except Next's assets and static files.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico)$).*)'],
};
