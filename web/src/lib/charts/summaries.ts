/** One-line summaries in words of what each chart shows, for screen readers and people who prefer words. */
import { SIGNIFICANCE_TEXT, type Significance } from './build-funnel-config';
import { rankPractices, type RankedBarsInput } from './build-ranked-bars-config';

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

export function rankedBarsSummary(input: RankedBarsInput): string {
  const ranked = rankPractices(input);
  const target = `${input.targetBp / 100}%`;
  const top = ranked[0];
  const bottom = ranked.at(-1);
  if (top === undefined || bottom === undefined)
    return `No practice has a figure for this indicator (no patients in the denominator, or no data yet).`;
  const met = ranked.filter((r) => r.met).length;
  const network = input.networkRate === null ? '' : ` The network is at ${pct(input.networkRate)}.`;
  const spread =
    ranked.length > 1 ? ` Highest ${top.name} ${pct(top.rate)}; lowest ${bottom.name} ${pct(bottom.rate)}.` : '';
  return `${met} of ${ranked.length} practice${ranked.length === 1 ? '' : 's'} meet the ${target} target.${network}${spread}`;
}

/**
 * The funnel plot in one line, right in every case: no practice plotted, all within, some outside, all outside.
 * Only named practices (this network's) are listed; `centre` names the centre line.
 */
export function funnelSummary(
  centre: number,
  practices: { name: string | null; significance: Significance }[],
  options: { method?: 'wilson' | 'additive-random-effects'; centre?: 'network' | 'all networks' } = {},
): string {
  const named = practices.filter((p): p is { name: string; significance: Significance } => p.name !== null);
  if (named.length === 0) return 'No practice has a figure to plot.';
  const limits =
    options.method === 'additive-random-effects' ? 'the limits allowing for over-dispersion' : 'the 95% limits';
  const around =
    options.centre === 'all networks' ? `all networks' pooled ${pct(centre)}` : `the network's ${pct(centre)}`;
  const outside = named.filter((p) => p.significance !== 'not-significant');
  if (outside.length === 0)
    return named.length === 1
      ? `The practice is within ${limits} around ${around}.`
      : `Every practice is within ${limits} around ${around}: differences between them could be chance.`;
  const list = outside.map((p) => `${p.name} is ${SIGNIFICANCE_TEXT[p.significance]}`).join('; ');
  const rest = named.length - outside.length;
  if (rest === 0) return `Around ${around}: ${list}; no practice is within ${limits}.`;
  return `Around ${around}: ${list}; the other ${rest === 1 ? 'practice is' : `${rest} are`} within ${limits}.`;
}

const VARIATION_WORDS: Record<string, string> = {
  'common-cause': 'common-cause variation only (no significant change)',
  'improvement-high': 'special-cause improvement',
  'improvement-low': 'special-cause improvement',
  'concern-high': 'special-cause concern',
  'concern-low': 'special-cause concern',
  'neither-high': 'a special cause (higher)',
  'neither-low': 'a special cause (lower)',
};
const ASSURANCE_WORDS: Record<string, string> = {
  pass: 'it will consistently meet the target',
  fail: 'it will consistently miss the target unless something changes',
  'hit-and-miss': 'it will hit and miss the target at random',
};

export function spcSummary(
  input: {
    periods: { period: string; rate: number | null; complete: boolean }[];
    variation: string | null;
    assurance: string | null;
    spcPoints: number;
    /** The fewest points that get limits, as the server states it. */
    minPointsForLimits: number;
  },
  unit: 'month' | 'quarter' = 'month',
): string {
  const last = input.periods.filter((p): p is typeof p & { rate: number } => p.rate !== null).at(-1);
  if (!last) return `No ${unit === 'quarter' ? 'quarterly' : 'monthly'} figures yet.`;
  const incomplete = input.periods.filter((p) => !p.complete).length;
  const note = incomplete
    ? ` ${incomplete} incomplete ${unit}${incomplete === 1 ? ' is' : 's are'} marked with a hollow point.`
    : '';
  if (input.variation === null) {
    return `${input.spcPoints} ${unit}${input.spcPoints === 1 ? '' : 's'}, latest ${pct(last.rate)}: a run chart with the mean only, since limits need at least ${input.minPointsForLimits} points.${note}`;
  }
  const assurance = input.assurance ? `; ${ASSURANCE_WORDS[input.assurance]}` : '';
  return `${input.spcPoints} ${unit}s, latest ${pct(last.rate)}: ${VARIATION_WORDS[input.variation]}${assurance}.${note}`;
}
