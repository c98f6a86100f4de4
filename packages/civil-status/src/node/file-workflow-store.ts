import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { NewbornState, WorkflowStore } from '../newborn.js';

/**
 * Workflow states in a local file: an append-only journal of JSON lines, fsync'ed before `save` returns, so a
 * step acknowledged before a crash (even `kill -9`) is not done again. A torn last line is ignored.
 *
 * @example
 * ```ts
 * import { FileWorkflowStore } from '@motcua/civil-status/node';
 * const store = new FileWorkflowStore('/var/lib/motcua/newborn.jsonl');
 * ```
 */
export class FileWorkflowStore implements WorkflowStore {
  readonly #states = new Map<string, NewbornState>();
  readonly #fd: number;

  constructor(path: string) {
    let torn = false;
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      torn = text.length > 0 && !text.endsWith('\n');
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        try {
          const s = JSON.parse(line) as NewbornState;
          this.#states.set(s.id, s);
        } catch {
          // a torn write
        }
      }
    }
    this.#fd = openSync(path, 'a');
    if (torn) writeSync(this.#fd, '\n');
  }
  async load(id: string) {
    const s = this.#states.get(id);
    return s ? structuredClone(s) : undefined;
  }
  async save(state: NewbornState) {
    writeSync(this.#fd, `${JSON.stringify(state)}\n`);
    fsyncSync(this.#fd);
    this.#states.set(state.id, structuredClone(state));
  }
  async list() {
    return [...this.#states.values()].map((s) => structuredClone(s));
  }
  close(): void {
    closeSync(this.#fd);
  }
}
