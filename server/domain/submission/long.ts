/** The long layout (the product's template): period, practice_code, indicator_code, numerator, denominator[, exceptions]. */
import { contractYearOf } from '../periods';
import type { LayoutPlan } from '../submission-layout';
import { cell, type LayoutReader, type RowChecks } from './layout-reader';

export function longReader(plan: Extract<LayoutPlan, { format: 'long' }>, checks: RowChecks): LayoutReader {
  return {
    row(cells, rowNumber) {
      const period = checks.readPeriod(cell(cells, plan.period), rowNumber, 'period');
      const practice = checks.readPractice(cell(cells, plan.practice), period, rowNumber, 'practice_code');
      const rawCode = cell(cells, plan.indicator);
      const code = rawCode.trim().toUpperCase();
      let indicatorOk = true;
      if (code === '') {
        checks.error(rowNumber, 'indicator_code', rawCode, `row ${rowNumber}: the indicator code is missing`);
        indicatorOk = false;
      } else if (period !== null && !checks.knowsIndicator(period, code)) {
        const message = `row ${rowNumber}: ${code} is not an indicator of contract year ${contractYearOf(period)}; check the code against the template`;
        checks.error(rowNumber, 'indicator_code', rawCode, message);
        indicatorOk = false;
      } else if (period === null && !checks.isIndicator(code)) {
        checks.error(
          rowNumber,
          'indicator_code',
          rawCode,
          `row ${rowNumber}: ${code} is not an indicator of any contract year; check the code against the template`,
        );
        indicatorOk = false;
      }
      const numerator = checks.readCount(cells[plan.numerator], rowNumber, 'numerator', 'numerator');
      const denominator = checks.readCount(cells[plan.denominator], rowNumber, 'denominator', 'denominator');
      let exceptions: number | null = null;
      let exceptionsOk = true;
      if (plan.exceptions !== null && cell(cells, plan.exceptions).trim() !== '') {
        exceptions = checks.readCount(cells[plan.exceptions], rowNumber, 'exceptions', 'exceptions');
        exceptionsOk = exceptions !== null;
      }
      if (
        period === null ||
        practice === null ||
        !indicatorOk ||
        numerator === null ||
        denominator === null ||
        !exceptionsOk
      )
        return;
      const value = cell(cells, plan.numerator);
      checks.accept(period, practice, code, numerator, denominator, exceptions, rowNumber, 'numerator', value);
    },
    finish() {},
  };
}
