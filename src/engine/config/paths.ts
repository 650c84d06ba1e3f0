/** Dotted field paths ("rule.oja", "model.layers.1") used by --set, sweeps and error messages. */

export function splitPath(path: string): string[] {
  return path.split('.').filter((part) => part.length > 0);
}

export function getPath(target: unknown, path: string): unknown {
  let node: unknown = target;
  for (const key of splitPath(path)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Sets a value, creating intermediate objects; mutates `target`. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = splitPath(path);
  if (keys.length === 0) throw new Error('empty field path');
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

/** Removes a value if it is there; mutates `target`. */
export function deletePath(target: Record<string, unknown>, path: string): void {
  const keys = splitPath(path);
  const parent = getPath(target, keys.slice(0, -1).join('.'));
  if (parent !== null && typeof parent === 'object' && keys.length > 0) delete (parent as Record<string, unknown>)[keys[keys.length - 1]!];
}

/** Converts an ajv instance path ("/rule/oja/1") to the dotted form users write. */
export function pointerToPath(pointer: string): string {
  return pointerParts(pointer).join('.');
}

/** An ajv instance path's keys, unescaped ("/sweep/rule.oja/1" → ["sweep", "rule.oja", "1"]). */
export function pointerParts(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}
