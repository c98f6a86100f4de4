// A worker thread of `units convert`: converts batches of addresses sent by the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { converter } from './convert-row.js';

const convert = converter(workerData as { at?: string });
parentPort!.on('message', (msg: { id: number; texts: string[] }) => {
  parentPort!.postMessage({ id: msg.id, cells: convert(msg.texts) });
});
