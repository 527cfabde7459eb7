/**
 * NHS Digital's QOF achievement file: PRACTICE_CODE, INDICATOR_CODE, MEASURE, VALUE for one period given with
 * the upload. QOF codes are mapped to catalogue codes by the contract year's aliases; a practice's
 * NUMERATOR, DENOMINATOR and PCAS rows are gathered and accepted together once the file has been read. Rows
 * for other indicators, measures or networks are counted as skipped, not refused: the file is national.
 */
import type { LayoutPlan } from '../submission-layout';
import { cell, type LayoutReader, type RowChecks } from './layout-reader';
import type { ReferenceContractYear, ReferencePractice } from './types';

const QOF_MEASURES = { NUMERATOR: 0, DENOMINATOR: 1, PCAS: 2 } as const;
type Measure = keyof typeof QOF_MEASURES;

interface QofEntry {
  practice: ReferencePractice;
  code: string;
  values: [number | null, number | null, number | null];
  rows: [number, number, number];
}

const isMeasure = (m: string): m is Measure => Object.hasOwn(QOF_MEASURES, m);

/** `period` is the one the uploader gave; `year` is its contract year (the header check found both). */
export function qofReader(
  plan: Extract<LayoutPlan, { format: 'qof' }>,
  checks: RowChecks,
  period: string,
  year: ReferenceContractYear,
): LayoutReader {
  const entries = new Map<string, QofEntry>();
  return {
    row(cells, rowNumber) {
      const measure = cell(cells, plan.measure).trim().toUpperCase();
      if (!isMeasure(measure)) {
        checks.skip('other-measure', measure);
        return;
      }
      const slot = QOF_MEASURES[measure];
      const qofCode = cell(cells, plan.indicator).trim().toUpperCase();
      const code = year.aliases[qofCode];
      if (!code) {
        checks.skip('unknown-indicator', qofCode);
        return;
      }
      const practiceCode = cell(cells, plan.practice).trim().toUpperCase();
      const practice = checks.practice(practiceCode);
      const membership = practice ? checks.membership(practice, period) : null;
      if (!practice || !membership || (!membership.ok && membership.why === 'no-network')) {
        checks.skip('outside-networks', practiceCode);
        return;
      }
      if (!membership.ok) {
        checks.skip('other-network', null); // counted, never named: those are another network's practices
        return;
      }
      const value = checks.readCount(
        cells[plan.value],
        rowNumber,
        'VALUE',
        `${measure} for ${qofCode} at ${practiceCode}`,
      );
      if (value === null) return;
      const key = `${practiceCode}|${code}`;
      let entry = entries.get(key);
      if (!entry) {
        entry = { practice, code, values: [null, null, null], rows: [0, 0, 0] };
        entries.set(key, entry);
      }
      if (entry.values[slot] !== null) {
        const message = `row ${rowNumber}: ${measure} for ${qofCode} at ${practiceCode} is already given in row ${entry.rows[slot]}; keep one of the two rows`;
        checks.error(rowNumber, 'MEASURE', measure, message);
        return;
      }
      entry.values[slot] = value;
      entry.rows[slot] = rowNumber;
    },
    finish() {
      for (const entry of entries.values()) {
        const [numerator, denominator, exceptions] = entry.values;
        const row = Math.max(...entry.rows);
        if (numerator === null || denominator === null) {
          const missing = numerator === null ? 'NUMERATOR' : 'DENOMINATOR';
          const message = `${entry.code} at ${entry.practice.code} has no ${missing} row; the file needs both the numerator and the denominator`;
          checks.error(row, 'MEASURE', null, message);
          continue;
        }
        const value = String(numerator);
        checks.accept(
          period,
          entry.practice,
          entry.code,
          numerator,
          denominator,
          exceptions,
          entry.rows[0],
          'VALUE',
          value,
        );
      }
    },
  };
}
