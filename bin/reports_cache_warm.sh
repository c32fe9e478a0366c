#!/usr/bin/env bash
# Thin wrapper: bin/reports_cache_warm.sh [--all | --group ID | --pupil ID] [--with-worker]
# Same env as the worker (SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY, DATABASE_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
exec npm run --silent reports:warm -- "$@"
