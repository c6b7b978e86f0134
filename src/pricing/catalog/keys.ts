/**
 * Canonical lookup keys shared by the catalog builder, the catalog loader and the normalizer, so a
 * model spelled "E5-2680v4", "e5 2680 V4" or "E5-2680 v4" lands on the same catalog row.
 */

/** Lowercase, drop everything but letters, digits and '+'. "E5-2680 v4" -> "e52680v4". */
export function modelKey(model: string): string {
  return model.toLowerCase().replace(/[^a-z0-9+]/g, '');
}

/** Chassis keys also drop vendor-neutral filler: "DL380 G10" and "DL380 Gen10" -> "dl380gen10". */
export function chassisKey(model: string): string {
  return modelKey(model)
    .replace(/^(sys|as)(?=\d)/, '$1')
    .replace(/g(\d{1,2})(plus|v\d)?$/, 'gen$1$2');
}

/** Walks up from a directory to the first folder holding package.json. */
export function findProjectRoot(start: string, exists: (p: string) => boolean): string {
  let dir = start;
  for (let i = 0; i < 12; i++) {
    if (exists(`${dir}/package.json`)) return dir;
    const parent = dir.replace(/[\\/][^\\/]+$/, '');
    if (parent === dir || parent === '') break;
    dir = parent;
  }
  return start;
}
