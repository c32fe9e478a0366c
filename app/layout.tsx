import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { publicSupabaseConfig } from '@/lib/env';
import { SupabaseProvider } from '@/lib/supabase/browser';
import './globals.css';

export const metadata: Metadata = {
  title: 'Markbook Live',
  description: 'A realtime collaborative markbook for schools',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Render per request: the browser's Supabase URL and anon key come from the server's env
  // now, not from the build, so one build serves any stack or hosted project.
  await connection();
  return (
    <html lang="en">
      <body>
        <SupabaseProvider config={publicSupabaseConfig()}>{children}</SupabaseProvider>
      </body>
    </html>
  );
}
