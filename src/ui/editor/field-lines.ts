import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

/** `faults[0].point` → ['faults', 0, 'point']; '(file)', '(top level)' and the like → []. */
export function fieldPath(field: string): (string | number)[] {
  if (field.startsWith('(')) return [];
  const path: (string | number)[] = [];
  for (const part of field.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) return path;
    if (match[1]) path.push(match[1]);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  return path;
}

/**
 * The 1-based line a problem's field is on in the YAML text: the key of the deepest part of
 * the path that exists (a missing field points at its parent). Syntax errors carry their line
 * in the message; anything unplaceable goes to line 1.
 */
export function lineOfField(text: string, field: string, message = ''): number {
  const syntaxLine = /at line (\d+)/.exec(message);
  if (field === '(file)' && syntaxLine) return Number(syntaxLine[1]);
  const lines = new LineCounter();
  let doc;
  try {
    doc = parseDocument(text, { lineCounter: lines });
  } catch {
    return 1;
  }
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  for (const key of fieldPath(field)) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(key));
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return lines.linePos(offset).line;
}
