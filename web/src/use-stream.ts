/**
 * The live agent stream (`/api/v1/stream`, signed in by the session cookie). Reconnects with back-off.
 * At each `hello` (the server sends it once the socket is subscribed) and on a `resync` frame it asks the
 * page to reload what it shows: events before the subscription, the first one's too (the page's first reads
 * may have been answered before it), exist only in the store. Close code 4401 means the session ended; 4409 that the
 * agent's role changed (the page loads again, to show what the new role opens).
 * The page also sends on it (what case it watches): `send` drops a message while the socket is down, and
 * `onOpen` runs at every (re)connection so the page can say again what it watches.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api-client.ts';
import type { StreamFrame } from './types.ts';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

export interface StreamHandlers {
  onFrame(frame: StreamFrame): void;
  /** reload the list and the open case */
  onResync(): void;
  onSignedOut(): void;
  /** the socket opened (first time or again) */
  onOpen?(): void;
}

export interface Stream {
  status: StreamStatus;
  /** sends a JSON message; false when the socket is not open */
  send(message: unknown): boolean;
}

export function useStream(enabled: boolean, handlers: StreamHandlers): Stream {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const ref = useRef(handlers);
  ref.current = handlers;
  const socketRef = useRef<WebSocket | null>(null);

  const send = useCallback((message: unknown) => {
    const ws = socketRef.current;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(message));
    return true;
  }, []);

  useEffect(() => {
    if (!enabled) return;
    let ws: WebSocket | null = null;
    let stopped = false;
    let retry = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let ping: ReturnType<typeof setInterval> | null = null;

    const schedule = () => {
      if (stopped) return;
      timer = setTimeout(connect, Math.min(15_000, 500 * 2 ** retry++));
    };

    function connect() {
      if (stopped) return;
      const url = new URL('/api/v1/stream', location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      url.hash = '';
      url.search = '';
      const socket = new WebSocket(url);
      ws = socket;
      socketRef.current = socket;
      let opened = false;
      socket.onopen = () => {
        opened = true;
        retry = 0;
        setStatus('live');
        ref.current.onOpen?.();
        ping = setInterval(() => { if (socket.readyState === WebSocket.OPEN) socket.send('{"type":"ping"}'); }, 25_000);
      };
      socket.onmessage = (ev: MessageEvent) => {
        let frame: StreamFrame;
        try { frame = JSON.parse(String(ev.data)) as StreamFrame; } catch { return; }
        if (frame.type === 'resync' || frame.type === 'hello') ref.current.onResync();
        else ref.current.onFrame(frame);
      };
      socket.onclose = (ev: CloseEvent) => {
        if (ping) { clearInterval(ping); ping = null; }
        if (stopped) return;
        if (ev.code === 4401) { ref.current.onSignedOut(); return; }
        if (ev.code === 4409) { location.reload(); return; }
        setStatus('reconnecting');
        // A refused upgrade closes before opening: ask once whether the session still holds (a 401 signs out).
        if (opened) schedule();
        else api.session().then(schedule, (e: unknown) => {
          if ((e as { status?: number }).status === 401) ref.current.onSignedOut();
          else schedule();
        });
      };
    }

    setStatus('connecting');
    connect();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (ping) clearInterval(ping);
      ws?.close(1000, 'page closed');
      socketRef.current = null;
    };
  }, [enabled]);

  return { status, send };
}
