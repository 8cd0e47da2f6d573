import { parse as parseYaml } from 'yaml';

/** A scenario file as the picker lists it; validation happens in the worker, where the engine is. */
export interface CatalogEntry {
  readonly file: string;
  readonly name: string;
  readonly title: string;
  readonly strategy: string;
  readonly text: string;
  /** The file's data, or undefined when it is not even YAML (then `problem` says why). */
  readonly data?: Record<string, unknown>;
  readonly problem?: string;
}

const files = import.meta.glob('/scenarios/*.yaml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export function catalogFrom(sources: Record<string, string>): CatalogEntry[] {
  return Object.entries(sources)
    .map(([path, text]) => entryOf(path.slice(path.lastIndexOf('/') + 1), text))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function entryOf(file: string, text: string): CatalogEntry {
  const fallbackName = file.replace(/\.ya?ml$/, '');
  try {
    const data: unknown = parseYaml(text, { maxAliasCount: 100 });
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('a scenario is a mapping of fields');
    const record = data as Record<string, unknown>;
    return {
      file,
      text,
      data: record,
      name: typeof record.name === 'string' ? record.name : fallbackName,
      title: typeof record.title === 'string' ? record.title : fallbackName,
      strategy: typeof record.strategy === 'string' ? record.strategy : '',
    };
  } catch (error) {
    return { file, text, name: fallbackName, title: fallbackName, strategy: '', problem: `${file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
}

export const catalog: readonly CatalogEntry[] = catalogFrom(files);
