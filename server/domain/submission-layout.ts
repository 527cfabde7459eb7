/**
 * Which of the three upload layouts (SPEC section 6) a header row is in, and which column holds what.
 * Headers are matched case-insensitively, ignoring spaces, dashes and underscores.
 */
import { closest, normaliseHeader } from './text';
import { must } from './must';

export type SubmissionFormat = 'long' | 'wide' | 'qof' | 'cover';
export const SUBMISSION_FORMATS: readonly SubmissionFormat[] = ['long', 'wide', 'qof', 'cover'];

export interface ValidationError {
  /** Row of the file (the header is row 1); null for a problem with the file as a whole. */
  row: number | null;
  column: string | null;
  value: string | null;
  message: string;
}

export interface WideIndicatorColumns {
  code: string;
  numerator: number;
  denominator: number;
  exceptions: number | null;
}

export type LayoutPlan =
  | {
      format: 'long';
      period: number;
      practice: number;
      indicator: number;
      numerator: number;
      denominator: number;
      exceptions: number | null;
    }
  | { format: 'wide'; period: number; practice: number; indicators: WideIndicatorColumns[] }
  | { format: 'qof'; practice: number; indicator: number; measure: number; value: number }
  | { format: 'cover'; quarter: number; practice: number; column: number; value: number };

/** Canonical names, as the downloadable templates spell them. */
const LONG_REQUIRED = ['period', 'practice_code', 'indicator_code', 'numerator', 'denominator'] as const;
const QOF_REQUIRED = ['PRACTICE_CODE', 'INDICATOR_CODE', 'MEASURE', 'VALUE'] as const;
/** UKHSA COVER GP-level coverage, reshaped long: one published cell a row (see domain/cover.ts). */
const COVER_REQUIRED = ['quarter', 'practice_code', 'source_column', 'value'] as const;
/** Columns some exports add that carry nothing the product needs; accepted and ignored. */
const IGNORED = new Set(['practicename', 'networkcode', 'networkname', 'pcncode', 'pcnname']);
const PARTS = ['numerator', 'denominator', 'exceptions'] as const;

export function templateHeader(format: SubmissionFormat, indicatorCodes: readonly string[]): string[] {
  if (format === 'long') return [...LONG_REQUIRED, 'exceptions'];
  if (format === 'qof') return [...QOF_REQUIRED];
  if (format === 'cover') return ['quarter', 'source_csv', 'practice_code', 'source_column', 'value'];
  return ['period', 'practice_code', ...indicatorCodes.flatMap((c) => PARTS.map((p) => `${c}_${p}`))];
}

function headerError(column: string, message: string): ValidationError {
  return { row: 1, column, value: column, message };
}

function guessFormat(normalised: string[]): SubmissionFormat | null {
  const has = new Set(normalised);
  if (has.has('quarter') && has.has('practicecode') && has.has('sourcecolumn') && has.has('value')) return 'cover';
  if (has.has('practicecode') && has.has('indicatorcode') && has.has('measure') && has.has('value')) return 'qof';
  if (has.has('indicatorcode')) return 'long';
  const partial = normalised.some((h) => PARTS.some((p) => h.endsWith(p) && h.length > p.length));
  if (partial) return 'wide';
  if (has.has('numerator') || has.has('denominator')) return 'long';
  return null;
}

/**
 * Works out the layout of a header row. `requested` forces a layout (the uploader chose it); otherwise it is
 * detected. Every problem with the header is returned, so the uploader can fix them all at once.
 */
export function planLayout(
  rawHeader: readonly string[],
  indicatorCodes: readonly string[],
  requested?: SubmissionFormat,
): { plan: LayoutPlan | null; errors: ValidationError[] } {
  const header = rawHeader.map((h) => h.replace(/^\uFEFF/, '').trim());
  const columns = header.map((raw) => ({ raw, name: normaliseHeader(raw) }));
  const normalised = columns.map((c) => c.name);
  const errors: ValidationError[] = [];

  const firstIndex = new Map<string, number>();
  columns.forEach(({ raw, name }, i) => {
    if (name === '') {
      errors.push({
        row: 1,
        column: `column ${i + 1}`,
        value: '',
        message: `column ${i + 1} has no name in the header row; name it or delete the column`,
      });
    } else if (firstIndex.has(name)) {
      errors.push(headerError(raw, `column "${raw}" appears twice in the header row; keep one of them`));
    } else {
      firstIndex.set(name, i);
    }
  });

  const format = requested ?? guessFormat(normalised);
  if (format === null) {
    errors.push({
      row: 1,
      column: null,
      value: header.join(', '),
      message:
        'the header row does not match any layout the product reads: use the long template (period, practice_code, ' +
        'indicator_code, numerator, denominator), the wide template (period, practice_code, <INDICATOR>_numerator, ' +
        '<INDICATOR>_denominator, …), the NHS Digital QOF achievement file (PRACTICE_CODE, INDICATOR_CODE, MEASURE, VALUE) ' +
        'or the UKHSA COVER GP file in long form (quarter, source_csv, practice_code, source_column, value)',
    });
    return { plan: null, errors };
  }

  const col = (canonical: string): number | undefined => firstIndex.get(normaliseHeader(canonical));
  /** A column requireAll has already found. */
  const need = (canonical: string): number =>
    must(col(canonical), `a "${canonical}" column (the required columns were checked)`);
  const requireAll = (names: readonly string[]): boolean => {
    let ok = true;
    for (const name of names) {
      if (col(name) === undefined) {
        ok = false;
        errors.push({
          row: 1,
          column: name,
          value: null,
          message: `the ${format} layout needs a column "${name}", and the header row has none`,
        });
      }
    }
    return ok;
  };

  if (format === 'qof') {
    if (!requireAll(QOF_REQUIRED)) return { plan: null, errors };
    const plan: LayoutPlan = {
      format,
      practice: need('PRACTICE_CODE'),
      indicator: need('INDICATOR_CODE'),
      measure: need('MEASURE'),
      value: need('VALUE'),
    };
    return { plan: errors.length ? null : plan, errors };
  }

  if (format === 'cover') {
    if (!requireAll(COVER_REQUIRED)) return { plan: null, errors };
    const plan: LayoutPlan = {
      format,
      quarter: need('quarter'),
      practice: need('practice_code'),
      column: need('source_column'),
      value: need('value'),
    };
    return { plan: errors.length ? null : plan, errors };
  }

  if (format === 'long') {
    const known = [...LONG_REQUIRED, 'exceptions'].map(normaliseHeader);
    columns.forEach(({ raw, name }, i) => {
      if (name === '' || known.includes(name) || IGNORED.has(name) || firstIndex.get(name) !== i) return;
      const guess = closest(name, known);
      const hint = guess
        ? `; did you mean "${[...LONG_REQUIRED, 'exceptions'][known.indexOf(guess)]}"?`
        : '; remove it or rename it to one of the template columns';
      errors.push(headerError(raw, `unknown column "${raw}"${hint}`));
    });
    const ok = requireAll(LONG_REQUIRED);
    if (!ok || errors.length) return { plan: null, errors };
    return {
      plan: {
        format,
        period: need('period'),
        practice: need('practice_code'),
        indicator: need('indicator_code'),
        numerator: need('numerator'),
        denominator: need('denominator'),
        exceptions: col('exceptions') ?? null,
      },
      errors,
    };
  }

  // wide
  const codeByNormalised = new Map(indicatorCodes.map((c) => [normaliseHeader(c), c]));
  const groups = new Map<string, Partial<Record<(typeof PARTS)[number], number>>>();
  columns.forEach(({ raw, name }, i) => {
    if (name === '' || name === 'period' || name === 'practicecode' || IGNORED.has(name) || firstIndex.get(name) !== i)
      return;
    const part = PARTS.find((p) => name.endsWith(p) && name.length > p.length);
    if (!part) {
      const guess = closest(name, ['period', 'practicecode']);
      const hint = guess
        ? `; did you mean "${guess === 'period' ? 'period' : 'practice_code'}"?`
        : '; wide columns are named <INDICATOR>_numerator, <INDICATOR>_denominator or <INDICATOR>_exceptions';
      errors.push(headerError(raw, `unknown column "${raw}"${hint}`));
      return;
    }
    const prefix = name.slice(0, -part.length);
    const code = codeByNormalised.get(prefix);
    if (!code) {
      const guess = closest(prefix, [...codeByNormalised.keys()]);
      const hint = guess
        ? `; did you mean ${codeByNormalised.get(guess)}?`
        : '; check the indicator codes in the wide template';
      errors.push(headerError(raw, `column "${raw}" names no indicator of the catalogue${hint}`));
      return;
    }
    const group = groups.get(code) ?? {};
    group[part] = i;
    groups.set(code, group);
  });
  requireAll(['period', 'practice_code']);
  const indicators: WideIndicatorColumns[] = [];
  for (const [code, group] of groups) {
    if (group.numerator === undefined || group.denominator === undefined) {
      const missing = group.numerator === undefined ? 'numerator' : 'denominator';
      errors.push({
        row: 1,
        column: `${code}_${missing}`,
        value: null,
        message: `${code} has a column for part of its figures but no "${code}_${missing}" column; add it or remove the others`,
      });
      continue;
    }
    indicators.push({
      code,
      numerator: group.numerator,
      denominator: group.denominator,
      exceptions: group.exceptions ?? null,
    });
  }
  if (groups.size === 0 && errors.length === 0) {
    errors.push({
      row: 1,
      column: null,
      value: header.join(', '),
      message: 'the wide layout needs at least one pair of <INDICATOR>_numerator and <INDICATOR>_denominator columns',
    });
  }
  if (errors.length) return { plan: null, errors };
  return { plan: { format, period: need('period'), practice: need('practice_code'), indicators }, errors };
}
