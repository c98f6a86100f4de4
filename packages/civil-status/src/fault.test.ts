import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticPeople } from '@motcua/core/testing';
import { Outbox } from '@motcua/http';
import { FileOutboxStore } from '@motcua/http/node';
import { seededRandom } from '@motcua/http/testing';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import type { BirthRegistration } from './schemas.js';
import { startCivilStatusSimulator } from './testing/simulator.js';

const SUBMISSIONS = 1000;
const KILLS = 6;

describe('fault test: 1,000 birth registrations through the outbox on a bad line, the worker killed with SIGKILL', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of closers) await c();
  });

  it('registers every submission exactly once and dead-letters nothing', async () => {
    const started = Date.now();
    const sim = await startCivilStatusSimulator({
      today: () => '2026-12-03',
      faults: {
        dropRate: 0.3,
        timeoutRate: 0.1,
        failureRate: 0.1,
        hangMs: 500,
        retryAfterSec: 0,
        seed: 2026,
      },
    });
    closers.push(() => sim.close());
    const work = mkdtempSync(join(tmpdir(), 'motcua-fault-'));
    const journal = join(work, 'outbox.jsonl');

    // The desk: 1,000 births, each enqueued with its own idempotency key (the dossier code).
    const mothers = syntheticPeople({ seed: 5, fromYear: 1985, toYear: 2000 });
    const children = syntheticPeople({ seed: 6, fromYear: 2026, toYear: 2026 });
    const desk = new Outbox({ store: new FileOutboxStore(journal), deliver: async () => {} });
    for (let i = 0; i < SUBMISSIONS; i++) {
      let mother = mothers.next().value;
      while (mother.sex !== 'female') mother = mothers.next().value;
      const child = children.next().value;
      const payload: BirthRegistration = {
        child: {
          fullName: `${mother.fullName.split(' ')[0]} ${child.fullName.split(' ').slice(1).join(' ')}`,
          sex: child.sex,
          dateOfBirth: child.dateOfBirth > '2026-12-03' ? '2026-06-01' : child.dateOfBirth,
          placeOfBirth: { detail: 'Trạm y tế xã', communeCode: '05152', provinceCode: '25' },
        },
        mother: { personalId: mother.personalId, fullName: mother.fullName },
        declarant: { personalId: mother.personalId, fullName: mother.fullName, relation: 'mother' },
      };
      const code = `HS-05152-2026-${String(i + 1).padStart(6, '0')}`;
      await desk.enqueue({ topic: 'civil-status.birth', orderingKey: code, key: `${code}:birth`, payload });
    }

    // Inside the package, so the worker resolves its dependencies from node_modules.
    const worker = new URL(`../test/.build/worker-${process.pid}.mjs`, import.meta.url).pathname;
    closers.push(async () => rmSync(worker, { force: true }));
    await build({
      entryPoints: [new URL('../test/fault-worker.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: worker,
      packages: 'external',
      logLevel: 'silent',
    });

    const random = seededRandom(77);
    let kills = 0;
    let runs = 0;
    for (;;) {
      runs++;
      const killAfter = kills < KILLS ? 150 + Math.floor(random() * 600) : undefined;
      const code = await new Promise<number | null>((resolve) => {
        const p = spawn(process.execPath, [worker, journal, sim.url, sim.tokenUrl], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        p.stdout.resume();
        const timer = killAfter === undefined ? undefined : setTimeout(() => p.kill('SIGKILL'), killAfter);
        p.on('exit', (c, signal) => {
          if (timer) clearTimeout(timer);
          if (signal === 'SIGKILL') kills++;
          resolve(c);
        });
      });
      if (code === 0) break;
      expect(runs).toBeLessThan(40);
    }

    const store = new FileOutboxStore(journal);
    const messages = await store.list();
    store.close();
    const delivered = messages.filter((m) => m.status === 'delivered');
    const dead = messages.filter((m) => m.status === 'dead');
    const attempts = messages.reduce((n, m) => n + m.attempts, 0);
    expect(delivered).toHaveLength(SUBMISSIONS);
    expect(dead).toHaveLength(0);
    expect(sim.births()).toBe(SUBMISSIONS); // each birth registered exactly once
    expect(kills).toBe(KILLS);
    const f = sim.stats.faults;
    console.info(
      `fault test: ${SUBMISSIONS} submissions, ${kills} SIGKILLs over ${runs} worker runs; ` +
        `${attempts} outbox attempts (${attempts - SUBMISSIONS} retries by the outbox), ${sim.stats.requests} HTTP calls ` +
        `(${f.dropped} dropped, ${f.timedOut} timed out, ${f.failed} 5xx; ${sim.stats.idempotentReplays} idempotent replays); ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 180_000);
});
