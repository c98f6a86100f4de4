import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { MotcuaError } from '@motcua/core';
import type { OutboxMessage, OutboxStore } from '../outbox.js';

/**
 * An outbox store in a local file: an append-only journal of JSON lines, each fsync'ed before the call
 * returns, so what was acknowledged survives a crash or `kill -9`. A torn last line (a crash mid-write) is
 * ignored when the journal is read back.
 *
 * @example
 * ```ts
 * import { FileOutboxStore } from '@motcua/http/node';
 * const store = new FileOutboxStore('/var/lib/motcua/outbox.jsonl');
 * ```
 */
export class FileOutboxStore implements OutboxStore {
  readonly #path: string;
  readonly #messages = new Map<string, OutboxMessage>();
  #fd: number;

  constructor(path: string) {
    this.#path = path;
    let torn = false;
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      torn = text.length > 0 && !text.endsWith('\n');
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        let entry: {
          op: 'append' | 'update';
          id: string;
          message?: OutboxMessage;
          patch?: Partial<OutboxMessage>;
        };
        try {
          entry = JSON.parse(line);
        } catch {
          continue; // a torn write at the end of the journal
        }
        if (entry.op === 'append' && entry.message) this.#messages.set(entry.id, entry.message);
        else if (entry.op === 'update' && entry.patch) {
          const m = this.#messages.get(entry.id);
          if (m) this.#messages.set(entry.id, { ...m, ...entry.patch });
        }
      }
    }
    this.#fd = openSync(path, 'a');
    // A crash mid-write left half a line: end it, or the next entry would be glued to it and lost.
    if (torn) this.#write(null);
  }

  #write(entry: unknown): void {
    writeSync(this.#fd, entry === null ? '\n' : `${JSON.stringify(entry)}\n`);
    fsyncSync(this.#fd);
  }

  async append(message: OutboxMessage): Promise<void> {
    if (this.#messages.has(message.id))
      throw new MotcuaError('outbox.duplicate', `message ${message.id} already exists`, {
        vi: `tin ${message.id} đã tồn tại`,
      });
    this.#write({ op: 'append', id: message.id, message });
    this.#messages.set(message.id, structuredClone(message));
  }

  async update(id: string, patch: Partial<OutboxMessage>): Promise<void> {
    const m = this.#messages.get(id);
    if (!m) throw new MotcuaError('outbox.not_found', `no message ${id}`, { vi: `không có tin ${id}` });
    this.#write({ op: 'update', id, patch });
    this.#messages.set(id, { ...m, ...structuredClone(patch) });
  }

  async get(id: string): Promise<OutboxMessage | undefined> {
    const m = this.#messages.get(id);
    return m ? structuredClone(m) : undefined;
  }

  async list(): Promise<OutboxMessage[]> {
    return [...this.#messages.values()]
      .map((m) => structuredClone(m))
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  /** Closes the journal. */
  close(): void {
    closeSync(this.#fd);
  }

  /** The journal's path. */
  get path(): string {
    return this.#path;
  }
}
