/**
 * A network with no member practices at a period, after it had some: since when (a dissolved network, such as
 * Tower Hamlets Network 4, whose practices joined Network 3 from April 2021). The screens then say "no members
 * since …" rather than "not applicable".
 *
 *   no members at the period   = no membership span covers it (spanCovers)
 *   since                      = the first period after the last span that ended before it, on the data's own
 *                                grid: the next month for monthly data, the next quarter's last month for
 *                                quarterly data (a quarter is judged at its last month, as every period is)
 *   null                       = a member covers the period, or the network had no member before it
 */
import { addMonths, periodIndex, spanCovers } from './periods';

export interface NetworkSpan {
  fromPeriod: string;
  toPeriod: string | null;
}

export function noMembersSince(
  spans: readonly NetworkSpan[],
  period: string,
  frequency: 'monthly' | 'quarterly',
): string | null {
  if (spans.some((s) => spanCovers(s, period))) return null;
  const ended = spans.flatMap((s) => (s.toPeriod !== null && s.toPeriod < period ? [s.toPeriod] : []));
  const last = ended.sort().at(-1);
  if (last === undefined) return null;
  let since = addMonths(last, 1);
  if (frequency === 'quarterly') while (periodIndex(since) % 3 !== 2) since = addMonths(since, 1);
  return since <= period ? since : period;
}
