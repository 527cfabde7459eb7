/**
 * Uploads are checked and written off the main thread, so the server keeps answering while a national file
 * (1.7 million rows) is read, checked and saved.
 *
 * One long-lived worker thread per app (thread.ts), with its own connection to the same database file, runs
 * the uploads one after another (observations.ts, reference.ts). The main thread records each upload as
 * 'processing', hands the worker the path of the received file, and grants the worker its write turn from
 * the app's WriteGate when it has checked the whole file, so no request writes while the worker's single
 * transaction is open. Requests that only read carry on throughout: in WAL mode they see the last committed
 * state, never a half-written file.
 *
 * If the worker stops (a crash, or it is stopped), the upload it was working on is recorded as failed, its
 * transaction is rolled back by SQLite, and the next upload starts a new worker.
 */
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { DatabaseLocation, Db } from '../../db/database';
import {
  failSubmission,
  holdSubmission,
  insertStoppedSubmission,
  insertSubmission,
  type NewSubmission,
} from '../../db/repositories/submissions';
import { WriteGate, type Release } from '../../db/write-gate';
import type { AcceptedOutcome, ReferenceAccepted, RejectedOutcome } from '../../domain/upload-outcome';
import type { SubmitContext, SubmitOptions } from './observations';
import type { ReferenceOptions } from './reference';

/** Points where a test can hold an upload, to see what others see meanwhile. Production passes none. */
export interface SubmissionHooks {
  /** The worker has checked the whole file and asks for its write turn; the turn is asked for once this settles. */
  beforeWrite?(submissionId: number): void | Promise<void>;
  /** The worker has written everything inside its open transaction; it commits once this settles. */
  beforeCommit?(submissionId: number): void | Promise<void>;
}

export interface SubmissionServiceOptions {
  /** The database the worker opens a connection (or, for PostgreSQL, a small pool) of its own to. */
  database: DatabaseLocation;
  /** Where received files wait for the worker (the routes write them; the service only names the place). */
  uploadDir: string;
  /** Bytes of a rejected file to keep. */
  rejectedBytesMax: number;
  hooks?: SubmissionHooks;
  /** Where a worker's failure is logged (the answer to the uploader carries no internals). */
  logError?(message: string, error: unknown): void;
  /** Files larger than this get a fresh worker after them (retireWorker); 5 MB unless given. */
  retireAfterBytes?: number;
}

export type Job =
  | { kind: 'observations'; file: string; options: SubmitOptions; context: SubmitContext }
  | { kind: 'reference'; file: string; options: ReferenceOptions; context: SubmitContext };

export type ToWorker =
  | { type: 'job'; jobId: number; job: Job }
  | { type: 'write-granted'; jobId: number }
  | { type: 'commit'; jobId: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'want-write'; jobId: number }
  | { type: 'written'; jobId: number }
  | { type: 'write-done'; jobId: number }
  | { type: 'done'; jobId: number; outcome: AcceptedOutcome | RejectedOutcome | ReferenceAccepted }
  | { type: 'failed'; jobId: number; message: string; stack?: string };

/** The upload could not be processed; it is recorded as failed and nothing of it was saved. */
export class SubmissionFailedError extends Error {
  constructor(
    readonly submissionId: number,
    reason: string,
  ) {
    super(reason);
  }
}

interface RunningJob {
  jobId: number;
  submissionId: number;
  resolve(outcome: unknown): void;
  reject(error: Error): void;
  /** The write turn, while the worker holds it. */
  release: Release | null;
}

// The worker runs the TypeScript sources as the server does (under tsx), whether the app was started by
// `npm start`, by a command-line importer or by the test runner.
const TSX_API = import.meta.resolve('tsx/esm/api');
const ENTRY = new URL('./thread.ts', import.meta.url).href;
// tsx's loader is registered for the whole worker (it has nothing else to load), which is several times faster
// to start than a scoped tsImport.
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(ENTRY)}); })`;

const RETIRE_AFTER_BYTES = 5 * 1024 * 1024;

export class SubmissionService {
  private worker: Worker | null = null;
  /** Workers closed after their upload (retireWorker), until they have exited. */
  private readonly retired = new Set<Worker>();
  private running: RunningJob | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextJobId = 1;
  private lastWorkerError: unknown = null;
  private closed = false;
  readonly uploadDir: string;

  constructor(
    private readonly db: Db,
    readonly gate: WriteGate,
    private readonly options: SubmissionServiceOptions,
  ) {
    this.uploadDir = options.uploadDir;
  }

  /** Checks a file of observations and, if it has no error, saves it (see observations.ts). */
  async submitObservations(file: string, options: SubmitOptions): Promise<AcceptedOutcome | RejectedOutcome> {
    const id = await this.begin({
      uploadedAt: options.now.toISOString(),
      userId: options.uploader.userId,
      uploader: options.uploader.username,
      kind: 'observations',
      filename: options.filename,
      periodGiven: options.period ?? null,
      format: options.format ?? null,
    });
    return this.run(id, { kind: 'observations', file, options, context: this.context(id) }) as Promise<
      AcceptedOutcome | RejectedOutcome
    >;
  }

  /** Checks a practice-to-network listing and, if it has no error, applies it (see reference.ts). */
  async submitReference(file: string, options: ReferenceOptions): Promise<ReferenceAccepted | RejectedOutcome> {
    const id = await this.begin({
      uploadedAt: options.now.toISOString(),
      userId: options.userId,
      uploader: options.username,
      kind: 'reference',
      filename: options.filename,
      periodGiven: options.fromPeriod ?? null,
      format: null,
    });
    return this.run(id, { kind: 'reference', file, options, context: this.context(id) }) as Promise<
      ReferenceAccepted | RejectedOutcome
    >;
  }

  /** Records an upload that ended before it could be processed (interrupted, or over the size limit). */
  recordStopped(
    submission: NewSubmission,
    outcome: { status: 'interrupted' | 'rejected'; receivedBytes: number; message: string; finishedAt: string },
  ): Promise<number> {
    return this.gate.shared(() => insertStoppedSubmission(this.db, { ...submission, ...outcome }));
  }

  /** Starts the worker ahead of the first upload (it takes a second or so to load). */
  start(): void {
    if (!this.closed) this.ensureWorker();
  }

  /** Stops the worker now, whatever it is doing: its upload is recorded as failed; the next upload starts a new one. */
  async stopWorker(): Promise<void> {
    const worker = this.worker;
    if (worker) await worker.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    // Workers retired after their upload are closing already: wait for them too.
    const retiring = [...this.retired].map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve())));
    await this.closeWorker();
    await Promise.all(retiring);
  }

  private async closeWorker(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    if (this.running) {
      await worker.terminate();
      return;
    }
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ToWorker);
    await exited;
  }

  private context(submissionId: number): SubmitContext {
    return { submissionId, rejectedBytesMax: this.options.rejectedBytesMax };
  }

  /** Lets go of each upload this instance holds (holdSubmission), once it has ended. */
  private readonly releases = new Map<number, () => Promise<void>>();

  private async begin(submission: NewSubmission): Promise<number> {
    if (this.closed) throw new Error('the submission service is closed');
    const id = await this.gate.shared(() => insertSubmission(this.db, submission));
    // Marks it as being processed here, so another instance starting does not close it as abandoned.
    this.releases.set(id, await holdSubmission(this.db, id));
    return id;
  }

  /** Runs one job after another. */
  private run(submissionId: number, job: Job): Promise<unknown> {
    const size = statSync(job.file, { throwIfNoEntry: false })?.size ?? 0;
    const large = size > (this.options.retireAfterBytes ?? RETIRE_AFTER_BYTES);
    const task = this.queue
      .then(() => this.runNow(submissionId, job))
      .finally(async () => {
        const release = this.releases.get(submissionId);
        this.releases.delete(submissionId);
        await release?.();
      });
    // The next job waits for this one whatever its outcome; the outcome itself goes to this job's caller.
    this.queue = task.catch(() => undefined).then(() => (large ? this.retireWorker() : undefined));
    return task;
  }

  /**
   * After a large upload the worker that did it is closed: a national file (56 MB) leaves the process ~80 MB
   * larger for as long as that worker lives (V8 does not give its grown heap back), and the server would carry
   * that into everything it computes next. The next upload starts a new one (about a second to load): started
   * at once, its loading would take a core from the first requests for the figures the upload has just changed,
   * which are computed afresh then.
   */
  private retireWorker(): void {
    const worker = this.worker;
    if (!worker || this.closed || this.running) return;
    this.worker = null;
    this.retired.add(worker);
    worker.postMessage({ type: 'close' } satisfies ToWorker);
  }

  private async runNow(submissionId: number, job: Job): Promise<unknown> {
    try {
      return await new Promise((resolve, reject) => {
        const jobId = this.nextJobId++;
        this.running = { jobId, submissionId, resolve, reject, release: null };
        this.ensureWorker().postMessage({ type: 'job', jobId, job } satisfies ToWorker);
      });
    } catch (e) {
      this.options.logError?.(`processing of submission ${submissionId} failed`, e);
      if (!this.closed) {
        await this.gate.shared(() =>
          failSubmission(
            this.db,
            submissionId,
            'the server could not finish processing this file, so nothing of it was saved; upload it again, and if it fails again tell your administrator',
            new Date().toISOString(),
          ),
        );
      }
      throw new SubmissionFailedError(submissionId, e instanceof Error ? e.message : String(e));
    } finally {
      this.running = null;
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { database: this.options.database },
      // A smaller young generation than V8's default: parsing makes short-lived strings by the million, and
      // collecting them more often keeps a national upload's memory peak about 20 MB lower, no slower.
      resourceLimits: { maxYoungGenerationSizeMb: 16 },
    });
    worker.on('message', (message: FromWorker) => {
      this.onMessage(worker, message).catch((e) => {
        // A hook or the gate failed: this upload cannot go on safely.
        this.lastWorkerError = e;
        void worker.terminate();
      });
    });
    worker.on('error', (e) => {
      this.lastWorkerError = e;
    });
    worker.on('exit', (code) => {
      // A worker retired after its upload (retireWorker): nothing runs on it any more.
      if (this.worker !== worker && this.retired.delete(worker)) return;
      if (this.worker === worker) this.worker = null;
      const job = this.running;
      if (!job) {
        // It stopped between uploads: nothing to answer for; the next upload starts a new worker.
        if (this.lastWorkerError)
          this.options.logError?.('the upload worker stopped between uploads', this.lastWorkerError);
        this.lastWorkerError = null;
        return;
      }
      this.running = null;
      job.release?.();
      const reason =
        this.lastWorkerError instanceof Error
          ? this.lastWorkerError.message
          : `the upload worker stopped (exit code ${code})`;
      this.lastWorkerError = null;
      job.reject(new Error(reason));
    });
    this.worker = worker;
    return worker;
  }

  private async onMessage(worker: Worker, message: FromWorker): Promise<void> {
    const job = this.running;
    if (!job || job.jobId !== message.jobId || this.worker !== worker) return;
    const stillRunning = () => this.running === job && this.worker === worker;
    switch (message.type) {
      case 'want-write': {
        await this.options.hooks?.beforeWrite?.(job.submissionId);
        if (!stillRunning()) return;
        const release = await this.gate.acquireExclusive();
        if (!stillRunning()) return release();
        job.release = release;
        worker.postMessage({ type: 'write-granted', jobId: job.jobId } satisfies ToWorker);
        return;
      }
      case 'written':
        await this.options.hooks?.beforeCommit?.(job.submissionId);
        if (stillRunning()) worker.postMessage({ type: 'commit', jobId: job.jobId } satisfies ToWorker);
        return;
      case 'write-done':
        job.release?.();
        job.release = null;
        return;
      case 'done':
        this.running = null;
        job.release?.();
        job.resolve(message.outcome);
        return;
      case 'failed':
        this.running = null;
        job.release?.();
        job.reject(Object.assign(new Error(message.message), { stack: message.stack }));
        return;
    }
  }
}

/**
 * For a command-line import into a database no server is using: the same worker path, with a write gate of
 * its own. The caller closes it when done.
 */
export function standaloneSubmissions(
  db: Db,
  dbFile: string,
  rejectedBytesMax: number,
  databaseUrl: string | null = null,
): SubmissionService {
  return new SubmissionService(db, new WriteGate(), {
    database: { dbFile, databaseUrl },
    uploadDir: `${dbFile}-uploads`,
    rejectedBytesMax,
  });
}
