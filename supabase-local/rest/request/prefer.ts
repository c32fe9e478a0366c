/** Parses the `Prefer` header(s) into the preferences PostgREST honours. */
export type Preferences = {
  returnRepresentation: 'representation' | 'minimal' | 'headers-only' | undefined;
  count: 'exact' | 'planned' | 'estimated' | undefined;
  resolution: 'merge-duplicates' | 'ignore-duplicates' | undefined;
  missingDefault: boolean;
  rollback: boolean;
};

export function parsePrefer(header: string | string[] | undefined): Preferences {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const prefs: Preferences = { returnRepresentation: undefined, count: undefined, resolution: undefined, missingDefault: false, rollback: false };
  for (const raw of text.split(/[,;]/)) {
    const [name, value] = raw.trim().split('=').map((s) => s.trim());
    if (name === 'return' && (value === 'representation' || value === 'minimal' || value === 'headers-only')) prefs.returnRepresentation = value;
    else if (name === 'count' && (value === 'exact' || value === 'planned' || value === 'estimated')) prefs.count = value;
    else if (name === 'resolution' && (value === 'merge-duplicates' || value === 'ignore-duplicates')) prefs.resolution = value;
    else if (name === 'missing' && value === 'default') prefs.missingDefault = true;
    else if (name === 'tx' && value === 'rollback') prefs.rollback = true;
  }
  return prefs;
}
