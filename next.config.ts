import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // Supabase settings are read from the server's env at request time (lib/env.ts), never
  // inlined at build time, so one build runs against any stack.
  poweredByHeader: false,
};

export default nextConfig;
