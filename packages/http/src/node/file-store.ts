import { closeSync, existsSync, fdatasyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { MotcuaError } from '@motcua/core';
import type { OutboxMessage, OutboxStore } from '../outbox.js';

/**
 * An outbox store in a local file: an append-only journal of JSON lines, flushed to disk (`fdatasync`)
 * before the call returns, so what was acknowledged survives a crash or `kill -9`. A torn last line (a crash
 * mid-write) is ignored when the journal is read back.
 *
 * Writes made in the same turn of the event loop (many requests enqueueing at once) share one flush: a
 * group commit, as databases do for their logs. Each caller still waits for the flush that covers its own
 * line. If a flush fails the store stops accepting writes (`outbox.store_failed`): after a failed flush the
 * operating system may have dropped the data, so the journal can no longer be trusted to match memory.
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
  #batch: { line: string; done: (error?: Error) => void }[] = [];
  #failed: Error | undefined;
  #flushes = 0;
  #closed = false;

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
    fdatasyncSync(this.#fd);
  }

  /** Queues a journal line; resolves once a flush covering it has reached the disk. */
  #journal(entry: unknown): Promise<void> {
    if (this.#closed)
      return Promise.reject(
        new MotcuaError('outbox.closed', `the outbox journal ${this.#path} is closed`, {
          vi: `sổ tin chờ gửi ${this.#path} đã đóng`,
        }),
      );
    if (this.#failed) return Promise.reject(this.#storeFailed());
    const line = `${JSON.stringify(entry)}\n`;
    return new Promise((resolve, reject) => {
      if (this.#batch.length === 0) setImmediate(() => this.#flush());
      this.#batch.push({ line, done: (error) => (error ? reject(error) : resolve()) });
    });
  }

  #flush(): void {
    const batch = this.#batch;
    this.#batch = [];
    if (batch.length === 0) return;
    try {
      if (this.#failed) throw this.#failed;
      writeSync(this.#fd, batch.length === 1 ? batch[0]!.line : batch.map((b) => b.line).join(''));
      fdatasyncSync(this.#fd);
      this.#flushes++;
    } catch (error) {
      this.#failed ??= error as Error;
      const failure = this.#storeFailed();
      for (const b of batch) b.done(failure);
      return;
    }
    for (const b of batch) b.done();
  }

  #storeFailed(): MotcuaError {
    return new MotcuaError(
      'outbox.store_failed',
      `the outbox journal ${this.#path} could not be written (${(this.#failed as NodeJS.ErrnoException)?.code ?? 'error'}); restart to read it back`,
      {
        vi: `không ghi được sổ tin chờ gửi ${this.#path}; hãy khởi động lại để đọc lại sổ`,
        cause: this.#failed,
      },
    );
  }

  async append(message: OutboxMessage): Promise<void> {
    if (this.#messages.has(message.id))
      throw new MotcuaError('outbox.duplicate', `message ${message.id} already exists`, {
        vi: `tin ${message.id} đã tồn tại`,
      });
    // Claimed at once, so a second append of the same ID in the same turn is refused as a duplicate.
    this.#messages.set(message.id, structuredClone(message));
    try {
      await this.#journal({ op: 'append', id: message.id, message });
    } catch (error) {
      this.#messages.delete(message.id);
      throw error;
    }
  }

  async update(id: string, patch: Partial<OutboxMessage>): Promise<void> {
    const m = this.#messages.get(id);
    if (!m) throw new MotcuaError('outbox.not_found', `no message ${id}`, { vi: `không có tin ${id}` });
    await this.#journal({ op: 'update', id, patch });
    this.#messages.set(id, { ...(this.#messages.get(id) ?? m), ...structuredClone(patch) });
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

  /** Flushes what is queued, then closes the journal. */
  close(): void {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    closeSync(this.#fd);
  }

  /** How many flushes to disk the journal has made: fewer than writes when writes arrive together. */
  get flushes(): number {
    return this.#flushes;
  }

  /** The journal's path. */
  get path(): string {
    return this.#path;
  }
}
