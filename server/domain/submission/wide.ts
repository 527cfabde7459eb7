/** The wide layout (one row per practice): period, practice_code, <INDICATOR>_numerator, <INDICATOR>_denominator[, _exceptions], … */
import { contractYearOf } from '../periods';
import type { LayoutPlan } from '../submission-layout';
import { cell, type LayoutReader, type RowChecks } from './layout-reader';

export function wideReader(plan: Extract<LayoutPlan, { format: 'wide' }>, checks: RowChecks): LayoutReader {
  return {
    row(cells, rowNumber) {
      const period = checks.readPeriod(cell(cells, plan.period), rowNumber, 'period');
      const practice = checks.readPractice(cell(cells, plan.practice), period, rowNumber, 'practice_code');
      for (const ind of plan.indicators) {
        if (period !== null && !checks.knowsIndicator(period, ind.code)) {
          const message = `row ${rowNumber}: ${ind.code} is not an indicator of contract year ${contractYearOf(period)}; remove its columns or split the file by year`;
          checks.error(rowNumber, `${ind.code}_numerator`, null, message);
          continue;
        }
        const numerator = checks.readCount(
          cells[ind.numerator],
          rowNumber,
          `${ind.code}_numerator`,
          `${ind.code} numerator`,
        );
        const denominator = checks.readCount(
          cells[ind.denominator],
          rowNumber,
          `${ind.code}_denominator`,
          `${ind.code} denominator`,
        );
        let exceptions: number | null = null;
        let exceptionsOk = true;
        if (ind.exceptions !== null && cell(cells, ind.exceptions).trim() !== '') {
          exceptions = checks.readCount(
            cells[ind.exceptions],
            rowNumber,
            `${ind.code}_exceptions`,
            `${ind.code} exceptions`,
          );
          exceptionsOk = exceptions !== null;
        }
        if (period === null || practice === null || numerator === null || denominator === null || !exceptionsOk)
          continue;
        const column = `${ind.code}_numerator`;
        const value = cell(cells, ind.numerator);
        checks.accept(period, practice, ind.code, numerator, denominator, exceptions, rowNumber, column, value);
      }
    },
    finish() {},
  };
}
