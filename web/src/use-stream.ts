/**
 * The live agent stream (`/api/v1/stream`, signed in by the session cookie). Reconnects with back-off;
 * after a reconnect (and on a `resync` frame) it asks the page to reload what it shows, because
 * events missed meanwhile exist only in the store. Close code 4401 means the session ended.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api-client.ts';
import type { StreamFrame } from './types.ts';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

export interface StreamHandlers {
  onFrame(frame: StreamFrame): void;
  /** reload the list and the open case */
  onResync(): void;
  onSignedOut(): void;
}

export function useStream(enabled: boolean, handlers: StreamHandlers): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const ref = useRef(handlers);
  ref.current = handlers;

  useEffect(() => {
    if (!enabled) return;
    let ws: WebSocket | null = null;
    let stopped = false;
    let retry = 0;
    let wasLive = false;
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
      let opened = false;
      socket.onopen = () => {
        opened = true;
        retry = 0;
        setStatus('live');
        // what happened while the socket was down reached no one
        if (wasLive) ref.current.onResync();
        wasLive = true;
        ping = setInterval(() => { if (socket.readyState === WebSocket.OPEN) socket.send('{"type":"ping"}'); }, 25_000);
      };
      socket.onmessage = (ev: MessageEvent) => {
        let frame: StreamFrame;
        try { frame = JSON.parse(String(ev.data)) as StreamFrame; } catch { return; }
        if (frame.type === 'resync') ref.current.onResync();
        else ref.current.onFrame(frame);
      };
      socket.onclose = (ev: CloseEvent) => {
        if (ping) { clearInterval(ping); ping = null; }
        if (stopped) return;
        if (ev.code === 4401) { ref.current.onSignedOut(); return; }
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
    };
  }, [enabled]);

  return status;
}
