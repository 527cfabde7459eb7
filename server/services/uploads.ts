/**
 * Submit a file (the two upload routes): a file of figures or a practice-to-network listing, received by
 * plugins/upload.ts, is handed to the upload worker (services/submit/) and its outcome audited and answered.
 * An upload that stopped short or went over the size limit is recorded and audited here. The upload routes
 * hold no write turn while the worker works, so the few writes made here take their own turn.
 */
import type { WriteGate } from '../db/write-gate';
import type { AuditAction } from '../domain/audit-actions';
import { badRequest, DomainError } from '../domain/errors';
import { isPeriod } from '../domain/periods';
import { SUBMISSION_FORMATS, type SubmissionFormat } from '../domain/submission-layout';
import type { AcceptedOutcome, ReferenceAccepted, RejectedOutcome } from '../domain/upload-outcome';
import { tooLargeError, type ReceivedUpload, type StoppedUpload, type UploadReceipt } from '../plugins/upload';
import { audit, type Actor, type Deps } from './context';
import { SubmissionFailedError, type SubmissionService } from './submit/service';

export interface UploadDeps extends Deps {
  submissions: SubmissionService;
  writeGate: WriteGate;
  config: { maxUploadBytes: number };
}

type UploadKind = 'observations' | 'reference';
const PREFIX = { observations: 'upload', reference: 'reference' } as const;

function auditInTurn(
  deps: UploadDeps,
  actor: Actor,
  action: AuditAction,
  detail: Record<string, unknown>,
): Promise<void> {
  return deps.writeGate.shared(() => audit(deps, actor, action, detail));
}

/** The answer to an upload whose processing could not finish (its worker stopped). */
function uploadFailedError(submissionId: number, requestId: string): DomainError {
  return new DomainError(
    'upload-failed',
    `The server could not finish processing this file, so nothing of it was saved (submission ${submissionId} is recorded as failed). ` +
      `Upload it again; if it fails again, tell your administrator and quote reference ${requestId}.`,
    [{ submissionId }],
  );
}

/** Records an upload that stopped short (interrupted) or went over the limit (rejected), and refuses it. */
async function refuseStopped(
  deps: UploadDeps,
  actor: Actor,
  kind: UploadKind,
  stopped: StoppedUpload,
  periodGiven: string | null,
): Promise<never> {
  const now = deps.now().toISOString();
  const tooLarge = stopped.reason === 'too-large';
  const submissionId = await deps.submissions.recordStopped(
    {
      uploadedAt: now,
      userId: actor.user.id,
      uploader: actor.user.username,
      kind,
      filename: stopped.filename,
      periodGiven,
      format: null,
    },
    {
      status: tooLarge ? 'rejected' : 'interrupted',
      receivedBytes: stopped.receivedBytes,
      finishedAt: now,
      message: tooLarge
        ? 'the file is larger than the upload limit, so it was not read or kept; split it (for example one month per file)'
        : `the upload stopped after ${stopped.receivedBytes} bytes of it had arrived (the connection was closed, cut off or timed out), so nothing of it was saved or kept; upload the file again`,
    },
  );
  await auditInTurn(deps, actor, `${PREFIX[kind]}-${tooLarge ? 'rejected' : 'interrupted'}`, {
    submissionId,
    filename: stopped.filename,
    reason: stopped.reason,
    receivedBytes: stopped.receivedBytes,
  });
  if (tooLarge) throw tooLargeError(deps.config.maxUploadBytes, submissionId);
  throw new DomainError(
    'upload-interrupted',
    `The upload stopped before the whole file arrived, so nothing of it was saved (submission ${submissionId} is recorded as interrupted); upload the file again.`,
    [{ submissionId }],
  );
}

/** Runs a received upload through the worker, auditing a failure; the received file is removed afterwards. */
async function processed<T>(
  deps: UploadDeps,
  actor: Actor,
  kind: UploadKind,
  upload: ReceivedUpload,
  requestId: string,
  run: (upload: ReceivedUpload) => Promise<T>,
): Promise<T> {
  try {
    return await run(upload);
  } catch (e) {
    if (!(e instanceof SubmissionFailedError)) throw e;
    await auditInTurn(deps, actor, `${PREFIX[kind]}-failed`, {
      submissionId: e.submissionId,
      filename: upload.filename,
    });
    throw uploadFailedError(e.submissionId, requestId);
  } finally {
    await upload.discard();
  }
}

/**
 * A file of figures: checked whole, and saved only if it has no error. A file for a signed-off year is
 * refused (409 period-locked) with its report; any other rejected file comes back with its report.
 */
export async function uploadObservations(
  deps: UploadDeps,
  actor: Actor,
  receipt: UploadReceipt,
  query: { period?: string; format?: string },
  requestId: string,
): Promise<AcceptedOutcome | Omit<RejectedOutcome, 'locked'>> {
  if (receipt.stopped)
    return refuseStopped(
      deps,
      actor,
      'observations',
      receipt.stopped,
      query.period && isPeriod(query.period) ? query.period : null,
    );
  return processed(deps, actor, 'observations', receipt.received, requestId, async (upload) => {
    const period = upload.fields.period || query.period;
    const format = upload.fields.format || query.format;
    if (period !== undefined && !isPeriod(period))
      throw badRequest(`period "${period}" is not a month written YYYY-MM.`);
    if (format !== undefined && !SUBMISSION_FORMATS.includes(format as SubmissionFormat)) {
      throw badRequest(`format "${format}" is not one of ${SUBMISSION_FORMATS.join(', ')}.`);
    }
    const { user } = actor;
    const result = await deps.submissions.submitObservations(upload.path, {
      uploader: { userId: user.id, username: user.username, role: user.role, networkCode: user.networkCode },
      filename: upload.filename,
      format: format as SubmissionFormat | undefined,
      period,
      now: deps.now(),
    });
    if (result.status === 'accepted') {
      await auditInTurn(deps, actor, 'upload-accepted', {
        submissionId: result.id,
        filename: upload.filename,
        format: result.format,
        rows: result.rows,
        periods: result.periods,
        inserted: result.inserted,
        superseded: result.superseded,
      });
      return result;
    }
    await auditInTurn(deps, actor, 'upload-rejected', {
      submissionId: result.id,
      filename: upload.filename,
      errorCount: result.errorCount,
    });
    const { locked, ...rejected } = result;
    const lock = locked?.[0];
    if (lock) {
      throw new DomainError(
        'period-locked',
        `This file has figures for contract year ${lock.year}, which ${lock.lockedBy ?? 'a commissioner'} signed off on ${lock.lockedAt.slice(0, 10)}, so nothing was saved. ` +
          "A commissioner can reopen the year on the Payments screen; or remove that year's rows and upload again.",
        [{ submissionId: result.id, errorCount: result.errorCount, errors: result.errors }],
      );
    }
    return rejected;
  });
}

/** A practice-to-network listing from `fromPeriod` (or the default month): applied whole, or rejected whole. */
export async function uploadReference(
  deps: UploadDeps,
  actor: Actor,
  receipt: UploadReceipt,
  query: { fromPeriod?: string },
  requestId: string,
): Promise<ReferenceAccepted | RejectedOutcome> {
  if (receipt.stopped) return refuseStopped(deps, actor, 'reference', receipt.stopped, null);
  return processed(deps, actor, 'reference', receipt.received, requestId, async (upload) => {
    const fromPeriod = upload.fields.fromPeriod ?? query.fromPeriod;
    if (fromPeriod !== undefined && !isPeriod(fromPeriod))
      throw badRequest(`fromPeriod "${fromPeriod}" is not a month written YYYY-MM.`);
    const result = await deps.submissions.submitReference(upload.path, {
      userId: actor.user.id,
      username: actor.user.username,
      filename: upload.filename,
      fromPeriod,
      now: deps.now(),
    });
    if (result.status === 'accepted') {
      await auditInTurn(deps, actor, 'reference-accepted', {
        submissionId: result.id,
        filename: upload.filename,
        fromPeriod: result.fromPeriod,
        joined: result.joined,
        moved: result.moved,
        left: result.left,
      });
    } else {
      await auditInTurn(deps, actor, 'reference-rejected', {
        submissionId: result.id,
        filename: upload.filename,
        errorCount: result.errorCount,
      });
    }
    return result;
  });
}
