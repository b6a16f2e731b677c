import { EventEmitter } from 'node:events';

export type GatewayEvent =
  | { type: 'case.created'; caseId: number }
  | { type: 'case.updated'; caseId: number; changes: string[]; actor?: string; origin?: string }
  | { type: 'interaction.added'; caseId: number; interactionId: string; direction: string; channel: string; kind: string; origin?: string }
  | { type: 'interaction.status'; caseId: number | null; interactionId: string; status: string; error?: string | null };

/** In-process fan-out of what happened, for the chat sockets, the agent stream and Slack mirroring. */
export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
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
