/**
 * Turns captured transactions into `postgres_changes` messages, strictly in commit order:
 * transactions queue up; each round takes what is pending, finds the subscriptions each
 * change matches (schema, table, event, filter), runs the RLS checks batched per table
 * (one round trip covers every key and identity of the round), then sends every message of the round in
 * commit order and acknowledges the last LSN. A failing check affects only the
 * subscribers with that identity.
 */
import type pg from 'pg';
import { postgresChanges } from '../protocol/outbound';
import type { TableCatalog, TableInfo } from './catalog';
import { buildChangeData, commitTimestamp, type ChangeData } from './payload';
import type { CapturedChange, CapturedTransaction } from './replication-stream';
import { checkVisibility, waitUntilVisible, type Identity } from './rls-check';
import { matchesFilter } from './subscription-filter';
import { entryCovers, type Subscription, type SubscriptionRegistry } from './subscription-registry';

// Most transactions taken into one round; bounds memory and latency under a burst.
const MAX_TRANSACTIONS_PER_ROUND = 200;
// Identity lists longer than this are checked in up to PARALLEL_CHECKS concurrent calls
// (the machine has 2 cores; more calls only queue).
const MIN_IDENTITIES_PER_CHECK = 16;
const PARALLEL_CHECKS = 2;

const identityKey = (identity: Identity) => `${identity.role}\u0000${identity.claimsJson}`;

type Delivery = { subscription: Subscription; ids: number[]; identity: Identity; role: string };
type PlannedChange = { xid: number; change: CapturedChange; table: TableInfo; commitTimestamp: string; deliveries: Delivery[]; keyValues: string[] };

export type DispatcherOptions = {
  registry: SubscriptionRegistry;
  catalog: TableCatalog;
  rlsPool: pg.Pool;
  acknowledge(lsn: string): void;
  setIdle(idle: boolean): void;
  log(line: string): void;
};

export class ChangeDispatcher {
  private readonly pending: CapturedTransaction[] = [];
  private running = false;

  constructor(private readonly options: DispatcherOptions) {}

  enqueue(transaction: CapturedTransaction): void {
    this.pending.push(transaction);
    this.options.setIdle(false);
    if (!this.running) void this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.pending.length > 0) {
        const round = this.pending.splice(0, MAX_TRANSACTIONS_PER_ROUND);
        try {
          await this.deliverRound(round);
        } catch (error) {
          this.options.log(`realtime: dropped ${round.length} transactions: ${String(error)}`);
        }
        this.options.acknowledge(round[round.length - 1]!.endLsn);
      }
    } finally {
      this.running = false;
      this.options.setIdle(true);
    }
  }

  private async deliverRound(round: CapturedTransaction[]): Promise<void> {
    if (this.options.registry.size === 0) return;
    const planned: PlannedChange[] = [];
    for (const transaction of round) {
      const timestamp = commitTimestamp(transaction.commitTimeMicros);
      for (const change of transaction.changes) {
        const plan = await this.plan(transaction.xid, change, timestamp);
        if (plan) planned.push(plan);
      }
    }
    const verdicts = await this.checkAll(planned);
    for (const [index, plan] of planned.entries()) await this.send(plan, verdicts.get(index));
  }

  private async plan(xid: number, change: CapturedChange, timestamp: string): Promise<PlannedChange | undefined> {
    const { relation } = change;
    let table: TableInfo | undefined;
    const deliveries: Delivery[] = [];
    const row = change.type === 'DELETE' ? change.oldRow : change.newRow;
    for (const subscription of this.options.registry.all()) {
      const ids: number[] = [];
      for (const entry of subscription.entries) {
        if (!entryCovers(entry, relation.schema, relation.table, change.type)) continue;
        if (entry.filter) {
          table ??= await this.options.catalog.table(relation.oid, relation.schema, relation.table);
          const column = table.columns.find((candidate) => candidate.name === entry.filter?.column);
          if (!matchesFilter(entry.filter, row ?? {}, column?.typname)) continue;
        }
        if (!ids.includes(entry.id)) ids.push(entry.id);
      }
      if (ids.length === 0) continue;
      const auth = subscription.subscriber.auth();
      deliveries.push({ subscription, ids, role: auth.role, identity: { role: auth.role, claimsJson: JSON.stringify(auth.claims) } });
    }
    if (deliveries.length === 0) return undefined;
    table ??= await this.options.catalog.table(relation.oid, relation.schema, relation.table);
    const keyValues = table.primaryKey.map((column) => change.newRow?.[column.name] ?? change.oldRow?.[column.name] ?? '');
    return { xid, change, table, commitTimestamp: timestamp, deliveries, keyValues };
  }

  /** Per planned change: the identities (claims + role) that may see its row. */
  private async checkAll(planned: PlannedChange[]): Promise<Map<number, Set<string>>> {
    type Batch = { table: TableInfo; identities: Map<string, Identity>; changeIndexes: number[]; keys: string[][] };
    const batches = new Map<number, Batch>();
    const xids = new Set<number>();
    for (const [index, plan] of planned.entries()) {
      // Supabase's rule: DELETEs cannot be checked against RLS; tables without RLS need no check.
      if (plan.change.type === 'DELETE' || !plan.table.rlsEnabled || plan.table.primaryKey.length === 0) continue;
      let batch = batches.get(plan.table.oid);
      if (!batch) batches.set(plan.table.oid, (batch = { table: plan.table, identities: new Map(), changeIndexes: [], keys: [] }));
      batch.changeIndexes.push(index);
      batch.keys.push(plan.keyValues);
      xids.add(plan.xid);
      for (const delivery of plan.deliveries) batch.identities.set(identityKey(delivery.identity), delivery.identity);
    }
    const verdicts = new Map<number, Set<string>>();
    if (batches.size === 0) return verdicts;
    await waitUntilVisible(this.options.rlsPool, [...xids]);
    // Large identity lists are split so the database can work on them on several cores.
    const work = [...batches.values()].flatMap((batch) => {
      const all = [...batch.identities.values()];
      const size = Math.max(MIN_IDENTITIES_PER_CHECK, Math.ceil(all.length / PARALLEL_CHECKS));
      const chunks: Array<{ batch: Batch; identities: Identity[] }> = [];
      for (let start = 0; start < all.length; start += size) chunks.push({ batch, identities: all.slice(start, start + size) });
      return chunks;
    });
    await Promise.all(
      work.map(async ({ batch, identities }) => {
        let results;
        try {
          results = await checkVisibility(this.options.rlsPool, batch.table, identities, batch.keys);
        } catch (error) {
          this.options.log(`realtime: RLS check failed on ${batch.table.schema}.${batch.table.table}: ${String(error)}`);
          return;
        }
        for (const [position, result] of results.entries()) {
          const identity = identities[position]!;
          if (!result.ok) {
            this.options.log(`realtime: RLS check failed for role ${identity.role} on ${batch.table.schema}.${batch.table.table}: ${result.error}`);
            continue;
          }
          for (const row of result.visible) {
            const changeIndex = batch.changeIndexes[row];
            if (changeIndex === undefined) continue;
            let allowed = verdicts.get(changeIndex);
            if (!allowed) verdicts.set(changeIndex, (allowed = new Set()));
            allowed.add(identityKey(identity));
          }
        }
      }),
    );
    return verdicts;
  }

  private async send(plan: PlannedChange, allowed: Set<string> | undefined): Promise<void> {
    const needsCheck = plan.change.type !== 'DELETE' && plan.table.rlsEnabled;
    const byRole = new Map<string, ChangeData | null>();
    for (const delivery of plan.deliveries) {
      if (needsCheck && !allowed?.has(identityKey(delivery.identity))) continue;
      let data = byRole.get(delivery.role);
      if (data === undefined) {
        const selectable = await this.options.catalog.selectableColumns(plan.table.oid, delivery.role);
        // A role that cannot read the primary key gets nothing (hosted: "Error 401").
        const readable = plan.table.primaryKey.every((column) => selectable.has(column.name)) && selectable.size > 0;
        data = readable
          ? buildChangeData({ table: plan.table, type: plan.change.type, commitTimestamp: plan.commitTimestamp, newRow: plan.change.newRow, oldRow: plan.change.oldRow, selectable })
          : null;
        byRole.set(delivery.role, data);
      }
      if (data) delivery.subscription.subscriber.send(postgresChanges(delivery.subscription.subscriber.topic, delivery.ids, data));
    }
  }
}
