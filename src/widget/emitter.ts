// Listeners for window.ChatPulse.on(); a listener that throws is reported, never rethrown.
import { warn } from './log.ts';

export class Emitter<Events extends Record<string, unknown>> {
  private listeners = new Map<keyof Events, Set<(detail: never) => void>>();

  on<K extends keyof Events>(event: K, listener: (detail: Events[K]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as (detail: never) => void);
    this.listeners.set(event, set);
    return () => set.delete(listener as (detail: never) => void);
  }

  emit<K extends keyof Events>(event: K, detail: Events[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as (detail: Events[K]) => void)(detail);
      } catch (error) {
        warn(`a "${String(event)}" listener threw`, error);
      }
    }
  }
}
