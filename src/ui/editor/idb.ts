/** A small promise wrapper over IndexedDB: one database, two stores, get/put/delete/list. */
const DB_NAME = 'outbox-lab';
const DB_VERSION = 1;
export type StoreName = 'scenarios' | 'drafts';

let opened: Promise<IDBDatabase> | undefined;

function database(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      for (const name of ['scenarios', 'drafts'] as const) {
        if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name, { keyPath: 'id' });
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB cannot be opened'));
  });
  return opened;
}

async function inStore<T>(name: StoreName, mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await database();
  return new Promise<T>((resolve, reject) => {
    const transaction = db.transaction(name, mode);
    const request = act(transaction.objectStore(name));
    // Resolved on completion, not on success: a write is durable only once its transaction commits.
    transaction.oncomplete = () => resolve(request.result as T);
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB request failed'));
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export const idbGet = <T>(name: StoreName, id: string) => inStore<T | undefined>(name, 'readonly', (s) => s.get(id));
export const idbAll = <T>(name: StoreName) => inStore<T[]>(name, 'readonly', (s) => s.getAll());
export const idbPut = <T extends { id: string }>(name: StoreName, value: T) => inStore<IDBValidKey>(name, 'readwrite', (s) => s.put(value));
export const idbDelete = (name: StoreName, id: string) => inStore<undefined>(name, 'readwrite', (s) => s.delete(id));
