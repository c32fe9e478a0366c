/**
 * Several parameterised statements sent to Postgres in one write and answered in one round
 * trip: Parse/Bind/Execute for each, then a single Sync (the extended protocol's pipelining,
 * as libpq's pipeline mode sends it). Values stay bound parameters, serialised by pg's own
 * `prepareValue`. The server runs the statements in order and, on the first error, skips the
 * rest up to the Sync, so the batch fails with that first error; a transaction the batch
 * opened is then left aborted for the caller to roll back.
 *
 * It is a pg `Submittable`: the client hands it the connection when it is its turn, then
 * passes it the backend's messages up to ReadyForQuery. Rows are returned as text (the
 * connection's text mode) for one chosen statement only; the others' rows are discarded.
 */
import type pg from 'pg';
import { prepareValue } from 'pg/lib/utils';

export type BatchStatement = { text: string; values?: readonly unknown[] };

/** Rows of the chosen statement, each field as Postgres's text (or null), by column name. */
export type BatchRows = Array<Record<string, string | null>>;

type RowDescription = { fields: Array<{ name: string }> };
type DataRow = { fields: Array<string | null> };

export class StatementBatch implements pg.Submittable {
  readonly result: Promise<BatchRows>;
  private resolve!: (rows: BatchRows) => void;
  private reject!: (error: Error) => void;
  private settled = false;
  /** Index of the statement whose output is arriving: advanced by each CommandComplete. */
  private current = 0;
  private columns: string[] = [];
  private readonly rows: BatchRows = [];

  constructor(
    private readonly statements: readonly BatchStatement[],
    /** Which statement's rows to keep (it is also the only one described). */
    private readonly rowsOf: number,
  ) {
    this.result = new Promise<BatchRows>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** Returns an Error, without sending anything, when a value cannot be serialised. */
  submit(connection: pg.Connection): Error | undefined {
    let values: Array<Array<Buffer | string | null>>;
    try {
      values = this.statements.map((statement) => (statement.values ?? []).map((value) => prepareValue(value)));
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.fail(failure);
      return failure;
    }
    const stream = connection.stream;
    stream.cork();
    try {
      this.statements.forEach((statement, index) => {
        connection.parse({ name: '', text: statement.text, types: [] }, true);
        connection.bind({ portal: '', statement: '', values: values[index]! }, true);
        if (index === this.rowsOf) connection.describe({ type: 'P', name: '' }, true);
        connection.execute({ portal: '' }, true);
      });
      connection.sync();
    } finally {
      stream.uncork();
    }
    return undefined;
  }

  handleRowDescription(message: RowDescription): void {
    if (this.current === this.rowsOf) this.columns = message.fields.map((field) => field.name);
  }

  handleDataRow(message: DataRow): void {
    if (this.current !== this.rowsOf) return;
    const row: Record<string, string | null> = {};
    message.fields.forEach((value, index) => {
      row[this.columns[index] ?? String(index)] = value;
    });
    this.rows.push(row);
  }

  handleCommandComplete(): void {
    this.current += 1;
  }

  handleEmptyQuery(): void {
    this.current += 1;
  }

  handlePortalSuspended(): void {
    this.fail(new Error('statement batch: portal suspended (row limits are not used)'));
  }

  handleCopyInResponse(connection: pg.Connection & { sendCopyFail(message: string): void }): void {
    connection.sendCopyFail('No source stream defined');
  }

  handleCopyData(): void {}

  /** The backend's first error, or the connection's failure; nothing follows it but ReadyForQuery. */
  handleError(error: Error): void {
    this.fail(error);
  }

  handleReadyForQuery(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.current < this.statements.length) {
      this.reject(new Error(`statement batch: ${this.current} of ${this.statements.length} statements completed`));
      return;
    }
    this.resolve(this.rows);
  }

  private fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(error);
  }
}
