/**
 * How many groups one live refresh of /reports aggregates may name (loadGroupStatsAction
 * refuses more). A burst that touches more groups — a full rebuild, say — is cheaper as one
 * snapshot refetch, which brings every group's aggregates; the realtime adapter does that.
 */
export const GROUP_STATS_REFRESH_MAX = 200;
