/**
 * UKHSA's COVER GP-level file, reshaped long (quarter, source_csv, practice_code, source_column, value; see
 * domain/cover.ts): each practice's denominators and percentages for a quarter are gathered, then each
 * indicator's numerator is worked out from them once the file has been read. Suppressed cells and rows for
 * practices outside the uploader's networks are counted as skipped, not refused: the file is national.
 */
import {
  classifyCoverColumn,
  COVER_INDICATORS,
  coverNumerator,
  quarterEndPeriod,
  readCoverValue,
  type CoverAge,
} from '../cover';
import type { LayoutPlan } from '../submission-layout';
import { cell, type LayoutReader, type RowChecks } from './layout-reader';

interface CoverCell {
  raw: string;
  row: number;
  column: string;
}

interface CoverEntry {
  practiceCode: string;
  period: string;
  denominators: Partial<Record<CoverAge, CoverCell>>;
  percents: Map<string, CoverCell>;
}

export function coverReader(plan: Extract<LayoutPlan, { format: 'cover' }>, checks: RowChecks): LayoutReader {
  const entries = new Map<string, CoverEntry>();

  /** Accepts one indicator of a practice's quarter, or says why not (an error, or a skipped suppressed figure). */
  function acceptIndicator(
    entry: CoverEntry,
    practice: NonNullable<ReturnType<RowChecks['practice']>>,
    indicator: (typeof COVER_INDICATORS)[number],
  ): void {
    const where = `${entry.practiceCode} in ${entry.period}`;
    if (!checks.knowsIndicator(entry.period, indicator.code)) {
      checks.skip('unknown-indicator', indicator.code);
      return;
    }
    const den = entry.denominators[indicator.age];
    const pct = entry.percents.get(indicator.code);
    const denValue = den ? readCoverValue(den.raw) : null;
    const pctValue = pct ? readCoverValue(pct.raw) : null;
    for (const [c, value] of [
      [den, denValue],
      [pct, pctValue],
    ] as const) {
      if (c && value && !value.ok && !value.suppressed) {
        checks.error(
          c.row,
          'value',
          c.raw,
          `row ${c.row}: ${c.column} for ${entry.practiceCode} is "${c.raw.trim()}", which is neither a number nor a suppression marker`,
        );
      }
    }
    if (!den || !pct || !denValue || !pctValue || !denValue.ok || !pctValue.ok) {
      // A missing or suppressed cell is reported as skipped; an unreadable one was refused above.
      const suppressed = (v: typeof denValue) => v === null || (!v.ok && v.suppressed);
      if (suppressed(denValue) || suppressed(pctValue)) checks.skip('suppressed', `${indicator.code} ${where}`);
      return;
    }
    if (!Number.isInteger(denValue.value) || pctValue.value > 100) {
      const message = `row ${pct.row}: ${indicator.code} for ${entry.practiceCode} has denominator ${den.raw.trim()} and percentage ${pct.raw.trim()}, which cannot both be right`;
      checks.error(pct.row, 'value', pct.raw, message);
      return;
    }
    const { numerator, offBy } = coverNumerator(pctValue.value, denValue.value);
    if (offBy > 0.05) {
      const message = `row ${pct.row}: ${pct.raw.trim()}% of ${den.raw.trim()} children is not close to a whole number of children for ${indicator.code} at ${entry.practiceCode}; check the published figures`;
      checks.error(pct.row, 'value', pct.raw, message);
      return;
    }
    checks.accept(entry.period, practice, indicator.code, numerator, denValue.value, null, pct.row, 'value', pct.raw);
  }

  return {
    row(cells, rowNumber) {
      const column = cell(cells, plan.column).trim();
      const kind = classifyCoverColumn(column);
      if (!kind) {
        checks.skip('other-measure', column);
        return;
      }
      const quarter = cell(cells, plan.quarter).trim();
      const period = quarterEndPeriod(quarter);
      if (!period) {
        checks.error(
          rowNumber,
          'quarter',
          quarter,
          `row ${rowNumber}: "${quarter}" is not a quarter label like q01_Apr19Jun19`,
        );
        return;
      }
      const problem = checks.periodProblem(period);
      if (problem) {
        checks.error(
          rowNumber,
          'quarter',
          quarter,
          `row ${rowNumber}: quarter ${quarter} ends in ${period}: ${problem}`,
        );
        return;
      }
      const practiceCode = cell(cells, plan.practice).trim().toUpperCase();
      const key = `${period}|${practiceCode}`;
      let entry = entries.get(key);
      if (!entry) {
        entry = { practiceCode, period, denominators: {}, percents: new Map() };
        entries.set(key, entry);
      }
      const found = { raw: cell(cells, plan.value), row: rowNumber, column };
      const earlier =
        kind.kind === 'denominator' ? entry.denominators[kind.age] : entry.percents.get(kind.indicator.code);
      if (earlier) {
        const message = `row ${rowNumber}: ${column} for ${practiceCode} in ${quarter} is already given in row ${earlier.row}; keep one of the two rows`;
        checks.error(rowNumber, 'source_column', column, message);
        return;
      }
      if (kind.kind === 'denominator') entry.denominators[kind.age] = found;
      else entry.percents.set(kind.indicator.code, found);
    },
    finish() {
      for (const entry of entries.values()) {
        const practice = checks.practice(entry.practiceCode);
        const membership = practice ? checks.membership(practice, entry.period) : null;
        if (!practice || !membership || (!membership.ok && membership.why === 'no-network')) {
          checks.skip('outside-networks', `${entry.practiceCode} in ${entry.period}`);
          continue;
        }
        if (!membership.ok) {
          checks.skip('other-network', null); // counted, never named: those are another network's practices
          continue;
        }
        for (const indicator of COVER_INDICATORS) acceptIndicator(entry, practice, indicator);
      }
    },
  };
}
