'use client';
/**
 * The client half of /results/assignments/[assignmentId]: one store per mount (from the
 * server's snapshot), the commands bound to the page's server actions, and the realtime
 * adapter connected for as long as the page is open.
 */
import { useEffect, useState } from 'react';
import { createMarkingCommands, type MarkingServerActions } from '@/lib/marking/marking-commands';
import { connectMarkingRealtime } from '@/lib/marking/realtime';
import type { GridSnapshot, RatingScale } from '@/lib/marking/schemas';
import { useSupabase } from '@/lib/supabase/browser';
import { MarkingStoreProvider, useMarkingStoreApi } from '@/stores/marking-store-provider';
import { FailedEdits } from './failed-edits';
import { MarkingContext, type MarkingPageContext } from './marking-context';
import { MarkingGrid } from './marking-grid';
import { MarkingStatus } from './marking-status';
import { MarkingToolbar } from './marking-toolbar';
import { RatingLegend } from './rating-legend';
import styles from './marking-grid.module.css';

type Props = { snapshot: GridSnapshot; scale: RatingScale; actions: MarkingServerActions };

export function MarkingGridPage({ snapshot, scale, actions }: Props) {
  return (
    <MarkingStoreProvider snapshot={snapshot}>
      <ConnectedGrid scale={scale} actions={actions} />
    </MarkingStoreProvider>
  );
}

function ConnectedGrid({ scale, actions }: Omit<Props, 'snapshot'>) {
  const store = useMarkingStoreApi();
  const getSupabase = useSupabase();
  const [context] = useState<MarkingPageContext>(() => ({ commands: createMarkingCommands(store, actions), scale }));

  useEffect(
    () => connectMarkingRealtime({ supabase: getSupabase(), store, onReconnected: () => void context.commands.retryUnsent() }),
    [getSupabase, store, context],
  );

  return (
    <MarkingContext.Provider value={context}>
      <div className={styles.page} data-testid="marking-page" data-hydrated="true">
        <MarkingStatus />
        <RatingLegend scale={scale} />
        <MarkingToolbar />
        <FailedEdits />
        <MarkingGrid />
      </div>
    </MarkingContext.Provider>
  );
}
