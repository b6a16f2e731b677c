import { WebSocket } from 'ws';

/** An agent console's socket on the agent stream, recording every frame. */
export async function openAgentStream(appUrl: string, token: string, opts: { stats?: boolean } = {}) {
  const frames: any[] = [];
  const ws = new WebSocket(`${appUrl.replace('http', 'ws')}/api/v1/stream?access_token=${encodeURIComponent(token)}${opts.stats ? '&stats=true' : ''}`);
  ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waitFor = async (pred: (f: any) => boolean, ms = 10_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = frames.find(pred);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no matching frame in ${JSON.stringify(frames).slice(0, 400)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { ws, frames, waitFor };
}
