/**
 * Resolves an embed `name!hint(...)` from a parent table to a relationship through a
 * foreign key, as PostgREST does: by target table name (many-to-one or one-to-many), by
 * foreign-key constraint name, or by the parent's foreign-key column; the hint picks
 * among several by constraint or column name.
 */
import { RestError } from '../rest-error';
import type { ForeignKeyInfo } from './introspect';
import type { SchemaSnapshot, TableInfo } from './schema-cache';

export type Relationship = {
  target: TableInfo;
  constraint: string;
  /** Columns of the parent and the target that must be equal, pairwise. */
  parentColumns: string[];
  targetColumns: string[];
  cardinality: 'many-to-one' | 'one-to-many' | 'one-to-one';
};

function sameColumns(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((column) => b.includes(column));
}

function manyToOne(snapshot: SchemaSnapshot, fk: ForeignKeyInfo): Relationship | undefined {
  const target = snapshot.tables.get(fk.refTable);
  if (!target) return undefined;
  return { target, constraint: fk.name, parentColumns: fk.columns, targetColumns: fk.refColumns, cardinality: 'many-to-one' };
}

function oneToMany(snapshot: SchemaSnapshot, fk: ForeignKeyInfo): Relationship | undefined {
  const target = snapshot.tables.get(fk.table);
  if (!target) return undefined;
  const unique = target.uniques.some((columns) => sameColumns(columns, fk.columns));
  return {
    target,
    constraint: fk.name,
    parentColumns: fk.refColumns,
    targetColumns: fk.columns,
    cardinality: unique ? 'one-to-one' : 'one-to-many',
  };
}

function matchesHint(relationship: Relationship, hint: string): boolean {
  if (relationship.constraint === hint) return true;
  const ownColumns = relationship.cardinality === 'many-to-one' ? relationship.parentColumns : relationship.targetColumns;
  return sameColumns(ownColumns, [hint]) || relationship.target.name === hint;
}

export function isToOne(relationship: Relationship): boolean {
  return relationship.cardinality !== 'one-to-many';
}

export function resolveRelationship(snapshot: SchemaSnapshot, parent: TableInfo, name: string, hint: string | undefined): Relationship {
  const candidates: Relationship[] = [];
  const add = (relationship: Relationship | undefined) => {
    if (relationship) candidates.push(relationship);
  };
  for (const fk of snapshot.foreignKeys) {
    const fromParent = fk.table === parent.name;
    const toParent = fk.refTable === parent.name;
    if (fromParent && (fk.refTable === name || fk.name === name || sameColumns(fk.columns, [name]))) add(manyToOne(snapshot, fk));
    if (toParent && (fk.table === name || fk.name === name)) add(oneToMany(snapshot, fk));
  }
  const matching = hint === undefined ? candidates : candidates.filter((candidate) => matchesHint(candidate, hint));
  if (matching.length === 1) return matching[0]!;
  if (matching.length === 0) {
    throw new RestError(
      400,
      'PGRST200',
      `Could not find a relationship between '${parent.name}' and '${name}' in the schema cache`,
      `Searched for a foreign key relationship between '${parent.name}' and '${name}'${hint ? ` using the hint '${hint}'` : ''} in the schema '${snapshot.schema}', but no matches were found.`,
      null,
      true,
    );
  }
  throw new RestError(
    300,
    'PGRST201',
    `Could not embed because more than one relationship was found for '${parent.name}' and '${name}'`,
    matching.map((candidate) => ({
      cardinality: candidate.cardinality,
      embedding: `${parent.name} with ${candidate.target.name}`,
      relationship: `${candidate.constraint} using ${parent.name}(${candidate.parentColumns.join(', ')}) and ${candidate.target.name}(${candidate.targetColumns.join(', ')})`,
    })),
    `Try changing '${name}' to one of the following: ${matching.map((c) => `'${name}!${c.constraint}'`).join(', ')}. Find the desired relationship in the 'details' key.`,
  );
}
