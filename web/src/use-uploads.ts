/** The files a reply or note will carry: each uploads as soon as it is chosen; a failed one says why. */
import { useCallback, useRef, useState } from 'preact/hooks';
import { api, errorMessage } from './api-client.ts';
import type { UploadedFile } from './types.ts';

/** as many as the gateway takes on one reply */
export const MAX_ATTACHMENTS = 10;

export interface PendingFile {
  key: number;
  name: string;
  size: number;
  state: 'uploading' | 'done' | 'failed';
  error?: string;
  uploaded?: UploadedFile;
}

export interface Uploads {
  items: PendingFile[];
  uploading: boolean;
  /** what the reply carries */
  ready: UploadedFile[];
  add(files: File[]): void;
  remove(keys: number[]): void;
  clear(): void;
}

export function useUploads(): Uploads {
  const [items, setItems] = useState<PendingFile[]>([]);
  const latest = useRef(items);
  latest.current = items;
  const nextKey = useRef(0);

  // a file removed (or cleared) while uploading is not brought back by its answer
  const settle = useCallback((key: number, change: Partial<PendingFile>) => {
    setItems((list) => list.map((f) => (f.key === key ? { ...f, ...change } : f)));
  }, []);

  const add = useCallback((files: File[]) => {
    let kept = latest.current.filter((f) => f.state !== 'failed').length;
    const added: PendingFile[] = files.map((file) => {
      const key = ++nextKey.current;
      const base = { key, name: file.name || 'file', size: file.size };
      if (kept >= MAX_ATTACHMENTS) return { ...base, state: 'failed', error: `At most ${MAX_ATTACHMENTS} files go with one message.` };
      kept++;
      api.upload(file).then(
        (uploaded) => settle(key, { state: 'done', uploaded }),
        (e: unknown) => settle(key, { state: 'failed', error: errorMessage(e) }),
      );
      return { ...base, state: 'uploading' };
    });
    latest.current = [...latest.current, ...added];
    setItems(latest.current);
  }, [settle]);

  const remove = useCallback((keys: number[]) => setItems((list) => list.filter((f) => !keys.includes(f.key))), []);
  const clear = useCallback(() => setItems([]), []);

  return {
    items,
    uploading: items.some((f) => f.state === 'uploading'),
    ready: items.flatMap((f) => (f.uploaded ? [f.uploaded] : [])),
    add,
    remove,
    clear,
  };
}
