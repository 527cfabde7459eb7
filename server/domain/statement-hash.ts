/**
 * The hash of a statement's inputs: SHA-256 of a canonical JSON form (object keys sorted) of the rules, the
 * contract values, the memberships and the observations it used. Two computations with the same inputs give
 * the same hash; any change to an input changes it. Pure computation: no I/O.
 */
import { createHash } from 'node:crypto';
import type { PeriodValues } from './attainment';
import type { ContractYearRules } from './payment';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The part of a contract year's rules a statement's input hash covers, as canonical JSON (networkInputHash's first input). */
export function rulesCanonicalJson(
  rules: Pick<ContractYearRules, 'code' | 'retrospectiveShareBp' | 'domainRule' | 'domains' | 'indicators'>,
): string {
  return canonicalJson({
    year: rules.code,
    retrospectiveShareBp: rules.retrospectiveShareBp,
    domainRule: rules.domainRule,
    domains: rules.domains,
    indicators: rules.indicators,
  });
}

export function inputHash(inputs: unknown): string {
  return createHash('sha256').update(canonicalJson(inputs)).digest('hex');
}

/**
 * The input hash of one network's statement, streamed into SHA-256 rather than built as one canonical JSON
 * document (a national year has 140,000 values): the rules' canonical JSON, then the period, network and
 * contract value, then each member practice (in the order given) with its list size and its values in the
 * rules' indicator order, a missing value written as "-".
 */
export function networkInputHash(
  rulesJson: string,
  period: string,
  network: string,
  contractValuePence: number,
  practices: readonly { code: string; listSize: number | null }[],
  values: ReadonlyMap<
    string,
    ReadonlyMap<string, { numerator: number; denominator: number; exceptions: number | null }>
  >,
  indicatorCodes: readonly string[],
): string {
  const hash = createHash('sha256').update(rulesJson).update(`|${period}|${network}|${contractValuePence}`);
  for (const p of practices) {
    hash.update(`|${p.code}:${p.listSize ?? '-'}`);
    const byIndicator = values.get(p.code);
    for (const code of indicatorCodes) {
      const v = byIndicator?.get(code);
      hash.update(v ? `;${v.numerator}/${v.denominator}/${v.exceptions ?? '-'}` : ';-');
    }
  }
  return hash.digest('hex');
}

/** networkInputHash over a period's figures in columns (PeriodValues): the same hash of the same inputs. */
export function networkInputHashOfValues(
  rulesJson: string,
  period: string,
  network: string,
  contractValuePence: number,
  practices: readonly { code: string; listSize: number | null }[],
  values: PeriodValues,
  indicatorCodes: readonly string[],
): string {
  const columns = indicatorCodes.map((code) => values.columns.get(code) ?? -1);
  const parts: string[] = [`|${period}|${network}|${contractValuePence}`];
  for (const p of practices) {
    parts.push(`|${p.code}:${p.listSize ?? '-'}`);
    const row = values.rows.get(p.code);
    for (const column of columns) {
      const at = row === undefined || column < 0 ? -1 : row * values.width + column;
      const d = at < 0 ? -1 : (values.denominator[at] as number);
      if (d < 0) parts.push(';-');
      else {
        const e = values.exceptions[at] as number;
        parts.push(`;${values.numerator[at] as number}/${d}/${e < 0 ? '-' : e}`);
      }
    }
  }
  return createHash('sha256').update(rulesJson).update(parts.join('')).digest('hex');
}
