/**
 * Uploaded files as the viewer may see them: the list, one upload with its report, its original bytes, the
 * member practices still missing a period, and the CSV templates pre-filled with the uploader's practices.
 */
import { listIndicators } from '../db/repositories/contract-years';
import { listNetworksAt } from '../db/repositories/networks';
import { latestPeriodWithData, listMissingPractices } from '../db/repositories/observations';
import { findSubmission, listSubmissions, readSubmissionFile } from '../db/repositories/submissions';
import {
  mayNamePracticesOf,
  maySeeSubmission,
  submissionUploader,
  visibleNetworks,
  type Viewer,
} from '../domain/access';
import { DomainError, forbidden, notFound } from '../domain/errors';
import { addMonths, contractYearOf, periodOfDate } from '../domain/periods';
import { templateHeader, type SubmissionFormat } from '../domain/submission-layout';
import { fileNotKept, type UploadSummary } from '../domain/upload-outcome';
import type { MissingPracticeBody, SubmissionDetail, SubmissionSummary } from '../schemas/submissions';
import type { Deps } from './context';

/**
 * A stored upload summary as the viewer may see it: its missing-practice list cut to the networks whose
 * practices they may name (summaries written before that rule held could name another network's).
 */
function visibleSummary<T extends { summary: UploadSummary | null }>(viewer: Viewer, s: T): T {
  const summary = s.summary;
  if (summary?.kind !== 'observations') return s;
  return {
    ...s,
    summary: { ...summary, missing: summary.missing.filter((m) => mayNamePracticesOf(viewer, m.network)) },
  };
}

/** Uploaded files, newest first (a network manager sees their own). */
export async function submissionsFor(deps: Deps, viewer: Viewer, limit = 100): Promise<SubmissionSummary[]> {
  const uploader = submissionUploader(viewer);
  if (uploader === 'none') return [];
  const list = await listSubmissions(deps.db, { limit, userId: uploader ?? undefined });
  return list.map((s) => ({ ...visibleSummary(viewer, s), fileKept: fileNotKept(s) === null }));
}

async function visibleSubmission(deps: Deps, viewer: Viewer, id: number) {
  const s = await findSubmission(deps.db, id);
  if (!s) throw notFound(`There is no submission ${id}.`);
  if (!maySeeSubmission(viewer, s)) throw forbidden('You can see only the files you uploaded.');
  return s;
}

/** One upload with its outcome and full error report. */
export async function submissionDetail(deps: Deps, viewer: Viewer, id: number): Promise<SubmissionDetail> {
  const { userId: _uploaderId, ...view } = await visibleSubmission(deps, viewer, id);
  return { ...visibleSummary(viewer, view), fileKept: fileNotKept(view) === null };
}

/**
 * The original bytes of an upload (for a large rejected one, its first part, which the name then says), or
 * 404 when none of it was kept.
 */
export async function submissionFile(
  deps: Deps,
  viewer: Viewer,
  id: number,
): Promise<{ filename: string; bytes: AsyncIterable<Buffer> }> {
  const s = await visibleSubmission(deps, viewer, id);
  const notKept = fileNotKept(s);
  if (notKept) throw new DomainError('file-not-kept', notKept);
  let name = s.filename;
  if (s.storedBytes < s.sizeBytes) {
    // Only the beginning of a large rejected file is kept: the name says it is not the whole file.
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    name = `${stem}.first-${s.storedBytes}-of-${s.sizeBytes}-bytes${ext}`;
  }
  return { filename: name.replace(/[^\w.\- ]+/g, '_'), bytes: readSubmissionFile(deps.db, s.id) };
}

/** Member practices with no data yet for a period (default: the latest period with data), as the viewer may see them. */
export async function missingPractices(
  deps: Deps,
  viewer: Viewer,
  requested?: string,
): Promise<{ period: string | null; missing: MissingPracticeBody[] }> {
  const period = requested ?? (await latestPeriodWithData(deps.db));
  if (!period) return { period: null, missing: [] };
  const networks = visibleNetworks(viewer) ?? undefined;
  const missing = await listMissingPractices(deps.db, [period], networks);
  return { period, missing: missing.filter((m) => mayNamePracticesOf(viewer, m.network)) };
}

/** A CSV template for an upload layout, pre-filled with the uploader's network's practices for the last full month. */
export async function uploadTemplate(
  deps: Deps,
  viewer: Viewer,
  format: SubmissionFormat,
): Promise<{ filename: string; csv: string }> {
  const period = addMonths(periodOfDate(deps.now()), -1);
  const codes = ((await listIndicators(deps.db, contractYearOf(period))) ?? []).map((i) => i.code);
  const networks = viewer.networkCode ? await listNetworksAt(deps.db, period, viewer.networkCode) : [];
  const practices = networks.flatMap((n) => n.practices.map((p) => p.code));
  const lines = [templateHeader(format, codes).join(',')];
  if (format === 'long') for (const p of practices) for (const c of codes) lines.push(`${period},${p},${c},,,`);
  if (format === 'wide')
    for (const p of practices) lines.push([period, p, ...codes.flatMap(() => ['', '', ''])].join(','));
  return {
    filename: `template-${format}${viewer.networkCode ? `-${viewer.networkCode}` : ''}.csv`,
    csv: lines.join('\r\n') + '\r\n',
  };
}
