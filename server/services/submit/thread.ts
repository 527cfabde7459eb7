/**
 * The upload worker thread (started by service.ts): its own connection to the database file, one
 * job at a time. Each job reads and checks a whole file, asks the main thread for its write turn, writes in
 * one transaction, says when everything is written, commits when told to, and answers with the outcome.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { closeDatabase, openConfiguredDatabase, type DatabaseLocation } from '../../db/database';
import type { WriteTurn } from '../../db/write-turn';
import { submitObservations } from './observations';
import { submitReference } from './reference';
import type { FromWorker, Job, ToWorker } from './service';

if (!parentPort) throw new Error('thread.ts runs as the upload worker thread, started by service.ts');
const port = parentPort;
// One job at a time: PostgreSQL needs a connection for the write and one for reads around it.
const db = openConfiguredDatabase((workerData as { database: DatabaseLocation }).database, {
  max: 2,
  applicationName: 'federation-dashboard upload worker',
});
const waiting = new Map<string, () => void>();

const send = (message: FromWorker) => port.postMessage(message);

function answer(type: 'write-granted' | 'commit', jobId: number): Promise<void> {
  return new Promise((resolve) => waiting.set(`${type}:${jobId}`, resolve));
}

function turnOf(jobId: number): WriteTurn {
  return {
    acquire() {
      const granted = answer('write-granted', jobId);
      send({ type: 'want-write', jobId });
      return granted;
    },
    beforeCommit() {
      const commit = answer('commit', jobId);
      send({ type: 'written', jobId });
      return commit;
    },
    release() {
      send({ type: 'write-done', jobId });
    },
  };
}

async function run(jobId: number, job: Job): Promise<void> {
  try {
    const turn = turnOf(jobId);
    const outcome =
      job.kind === 'observations'
        ? await submitObservations(db, job.file, job.options, job.context, turn)
        : await submitReference(db, job.file, job.options, job.context, turn);
    send({ type: 'done', jobId, outcome });
  } catch (e) {
    send({
      type: 'failed',
      jobId,
      message: e instanceof Error ? e.message : String(e),
      stack: e instanceof Error ? e.stack : undefined,
    });
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'job':
      void run(message.jobId, message.job);
      return;
    case 'close':
      void closeDatabase(db).finally(() => process.exit(0));
      return;
    default: {
      const key = `${message.type}:${message.jobId}`;
      const resolve = waiting.get(key);
      waiting.delete(key);
      resolve?.();
    }
  }
});
