import { EventEmitter } from 'node:events';
import type { CaseView } from '../store/case.repository.ts';
import type { InteractionView } from '../store/interaction.repository.ts';

/**
 * What happened, told after the commit that stored it. `case` (the case as that commit left it) and
 * `interaction` are attached by the writer (see event-views.ts), so listeners need not read them back.
 */
export type GatewayEvent =
  | { type: 'case.created'; caseId: number; case?: CaseView }
  | { type: 'case.updated'; caseId: number; changes: string[]; actor?: string; origin?: string; case?: CaseView }
  | { type: 'interaction.added'; caseId: number; interactionId: string; direction: string; channel: string; kind: string; origin?: string; case?: CaseView; interaction?: InteractionView }
  | { type: 'interaction.status'; caseId: number | null; interactionId: string; status: string; error?: string | null; case?: CaseView; interaction?: InteractionView }
  /** queues or agents changed (created, edited, presence): caches of them are stale */
  | { type: 'directory.changed'; caseId: null };

/** In-process fan-out of what happened, for the chat sockets, the agent stream and Slack mirroring. */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private viewers = 0;
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  /**
   * A listener renders events (an open console, an agent-facing channel): while one does, the hot paths
   * attach case and interaction views to what they emit. Returns the release.
   */
  wantViews(): () => void {
    this.viewers++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.viewers--;
    };
  }

  get viewsWanted(): boolean {
    return this.viewers > 0;
  }

  emit(e: GatewayEvent): void {
    this.emitter.emit('event', e);
  }
  /** Listeners must not throw; a throwing one is isolated so the others still run. */
  on(listener: (e: GatewayEvent) => void): () => void {
    const safe = (e: GatewayEvent) => {
      try {
        listener(e);
      } catch {
        // a listener's failure is its own; the event still reaches the rest
      }
    };
    this.emitter.on('event', safe);
    return () => this.emitter.off('event', safe);
  }
}
