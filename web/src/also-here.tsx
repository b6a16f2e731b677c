/** Who else has the open case up, and who is writing in it (from the stream's case.presence frames). */
import type { Viewer } from './types.ts';

export function AlsoHere({ viewers }: { viewers: Viewer[] }) {
  return (
    <div class={`also-here${viewers.length ? '' : ' empty'}`} role="status" aria-label="Also here">
      {viewers.map((v) => (
        <span key={v.agentId} class={`viewer${v.typing ? ' typing' : ''}`}>
          <span class="viewer-dot" aria-hidden="true" />
          {v.name} {v.typing ? 'is typing…' : 'is viewing'}
        </span>
      ))}
    </div>
  );
}
