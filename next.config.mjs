// JavaScript, not TypeScript, on purpose: `next start` transpiles a next.config.ts with
// @next/swc's native binary at every start, which keeps ~24 MB of it resident in the
// production server for the server's whole life (measured: idle next-server VmRSS
// 141–145 MB with next.config.ts, 116–117 MB with this file; specs/reports/pages.md).
// The JSDoc type keeps editor checking.

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Supabase settings are read from the server's env at request time (lib/env.ts), never
  // inlined at build time, so one build runs against any stack.
  typescript: {
    // The whole repository is type-checked by `npm run typecheck` (first step of `npm test`
    // and CI). Repeating it inside `next build` costs several seconds of every `npm start`
    // rebuild on a 2-core machine and would block the app on a type error in a test file.
    ignoreBuildErrors: true,
  },
};

export default nextConfig;
