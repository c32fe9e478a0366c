/**
 * Reads committed changes of the `supabase_realtime` publication from a logical
 * replication slot (pgoutput, protocol 1, via pg-logical-replication) and hands each
 * transaction on in commit order. The slot is dropped and recreated at start, so a
 * restarted stack starts clean (clients refetch on reconnect, as with hosted Supabase),
 * and dropped again on stop. `acknowledge` reports processed positions so the slot never
 * holds WAL back.
 */
import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import type pg from 'pg';
import type { ChangeType, RawRow } from './payload';

export type RelationRef = { oid: number; schema: string; table: string };
export type CapturedChange = { type: ChangeType; relation: RelationRef; newRow?: RawRow; oldRow?: RawRow };
export type CapturedTransaction = { xid: number; commitTimeMicros: bigint; endLsn: string; changes: CapturedChange[] };

export type ReplicationStreamOptions = {
  dbUrl: string;
  adminPool: pg.Pool;
  slotName: string;
  publication: string;
  onTransaction(transaction: CapturedTransaction): void;
  onRelation(oid: number): void;
  /** Whether anyone could receive such a change now; the others are not kept. */
  wants(relation: RelationRef, type: ChangeType): boolean;
  log(line: string): void;
};

export type ReplicationStream = {
  /** Everything up to `lsn` has been delivered. */
  acknowledge(lsn: string): void;
  /** Whether delivery is caught up (then keepalives may advance the slot). */
  setIdle(idle: boolean): void;
  stop(): Promise<void>;
};

// How long to wait for START_REPLICATION to be accepted before giving up, in ms.
const START_TIMEOUT_MS = 30_000;

async function recreateSlot(pool: pg.Pool, slotName: string): Promise<void> {
  // A slot left by a crashed run may still be held by its walsender: end that first.
  await pool.query(
    `select pg_catalog.pg_terminate_backend(active_pid) from pg_catalog.pg_replication_slots where slot_name = $1 and active_pid is not null`,
    [slotName],
  );
  for (let attempt = 0; ; attempt += 1) {
    try {
      await pool.query(`select pg_catalog.pg_drop_replication_slot(slot_name) from pg_catalog.pg_replication_slots where slot_name = $1`, [slotName]);
      break;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await pool.query(`select pg_catalog.pg_create_logical_replication_slot($1, 'pgoutput')`, [slotName]);
}

function rawRow(row: Record<string, unknown> | null | undefined): RawRow | undefined {
  if (!row) return undefined;
  const result: RawRow = {};
  for (const [name, value] of Object.entries(row)) result[name] = value === null || value === undefined ? null : String(value);
  return result;
}

export async function startReplicationStream(options: ReplicationStreamOptions): Promise<ReplicationStream> {
  await recreateSlot(options.adminPool, options.slotName);
  const service = new LogicalReplicationService(
    // The walsender formats values in this session: ISO dates in UTC, like Realtime's.
    { connectionString: options.dbUrl, options: '-c DateStyle=ISO,YMD -c TimeZone=UTC', application_name: 'supabase-local-realtime' },
    { acknowledge: { auto: false, timeoutSeconds: 0 } },
  );
  const plugin = new PgoutputPlugin({ protoVersion: 1, publicationNames: [options.publication] });
  let current: CapturedTransaction | undefined;
  let lastAcked = '';
  let idle = true;
  let stopped = false;

  service.on('data', (_lsn: string, message: Pgoutput.Message) => {
    switch (message.tag) {
      case 'relation':
        // Keep values as the text pgoutput sent; payload.ts types them like to_jsonb.
        for (const column of message.columns) column.parser = (raw: unknown) => raw;
        options.onRelation(message.relationOid);
        return;
      case 'begin':
        current = { xid: message.xid >>> 0, commitTimeMicros: BigInt(String(message.commitTime)), endLsn: '', changes: [] };
        return;
      case 'insert':
      case 'update':
      case 'delete': {
        const relation = { oid: message.relation.relationOid, schema: message.relation.schema, table: message.relation.name };
        const type: ChangeType = message.tag === 'insert' ? 'INSERT' : message.tag === 'update' ? 'UPDATE' : 'DELETE';
        // Dropped here, not at dispatch: a 300k-row rebuild of a table nobody watches would
        // otherwise sit in memory as one transaction (hundreds of MB) until dispatched.
        if (!current || !options.wants(relation, type)) return;
        if (message.tag === 'insert') current.changes.push({ type, relation, newRow: rawRow(message.new) });
        else if (message.tag === 'update') current.changes.push({ type, relation, newRow: rawRow(message.new), oldRow: rawRow(message.old ?? message.key) });
        else current.changes.push({ type, relation, oldRow: rawRow(message.old ?? message.key) });
        return;
      }
      case 'commit':
        if (current) {
          current.endLsn = message.commitEndLsn ?? _lsn;
          current.commitTimeMicros = BigInt(String(message.commitTime));
          if (current.changes.length > 0) options.onTransaction(current);
          else if (idle) void service.acknowledge(current.endLsn).catch(() => {});
        }
        current = undefined;
        return;
      default:
        return;
    }
  });
  service.on('heartbeat', (lsn: string, _timestamp: number, shouldRespond: boolean) => {
    if (!shouldRespond) return;
    // Caught up: nothing in the WAL up to the server's position concerns us any more.
    void service.acknowledge(idle ? lsn : lastAcked || lsn).catch(() => {});
  });

  const started = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('replication did not start')), START_TIMEOUT_MS);
    service.once('start', () => {
      clearTimeout(timer);
      resolve();
    });
    service.once('error', (error: Error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  service.on('error', (error: Error) => {
    if (!stopped) options.log(`realtime: replication error: ${error.message}`);
  });
  service.subscribe(plugin, options.slotName).catch((error: unknown) => {
    if (!stopped) options.log(`realtime: replication stopped: ${String(error)}`);
  });
  await started;

  return {
    acknowledge(lsn) {
      lastAcked = lsn;
      void service.acknowledge(lsn).catch(() => {});
    },
    setIdle(value) {
      idle = value;
    },
    async stop() {
      stopped = true;
      await service.stop().catch(() => {});
      await options.adminPool
        .query(`select pg_catalog.pg_drop_replication_slot(slot_name) from pg_catalog.pg_replication_slots where slot_name = $1 and not active`, [options.slotName])
        .catch((error: unknown) => options.log(`realtime: could not drop slot: ${String(error)}`));
    },
  };
}
