/**
 * The one membership check of an upload, whatever its layout: a practice's figures for a period count only
 * when the practice was a member of a network then, and the uploader may upload for that network
 * (domain/access.ts mayUploadFor). The long and wide layouts report a failed check as an error in the row;
 * the QOF and COVER files, national by nature, count the rows as skipped.
 */
import { mayUploadFor } from '../access';
import { spanCovers } from '../periods';
import type { ReferencePractice, ReferenceSpan, Uploader } from './types';

export type UploadMembership =
  | { ok: true; span: ReferenceSpan }
  /** `no-network`: a member of no network then; `other-network`: of a network the uploader may not upload for. */
  | { ok: false; why: 'no-network' | 'other-network' };

export function uploadMembership(practice: ReferencePractice, period: string, uploader: Uploader): UploadMembership {
  const span = practice.spans.find((s) => spanCovers(s, period));
  if (!span) return { ok: false, why: 'no-network' };
  return mayUploadFor(uploader, span.networkCode) ? { ok: true, span } : { ok: false, why: 'other-network' };
}
