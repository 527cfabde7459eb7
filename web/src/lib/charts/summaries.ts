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
    ranked.length > 1
      ? ` Highest ${top.label.slice(2)} ${pct(top.rate)}; lowest ${bottom.label.slice(2)} ${pct(bottom.rate)}.`
      : '';
  return `${met} of ${ranked.length} practice${ranked.length === 1 ? '' : 's'} meet the ${target} target.${network}${spread}`;
}

export function funnelSummary(centre: number, practices: { name: string; significance: Significance }[]): string {
  if (practices.length === 0) return 'No practice has a figure to plot.';
  const outside = practices.filter((p) => p.significance !== 'not-significant');
  if (outside.length === 0)
    return `Every practice is within the 95% limits around the network's ${pct(centre)}: differences between them could be chance.`;
  return `Around the network's ${pct(centre)}: ${outside.map((p) => `${p.name} is ${SIGNIFICANCE_TEXT[p.significance]}`).join('; ')}; the others are within the limits.`;
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
  },
  unit: 'month' | 'quarter' = 'month',
): string {
  const latest = input.periods.filter((p) => p.rate !== null).at(-1)?.rate ?? null;
  if (latest === null) return 'No monthly figures yet.';
  const incomplete = input.periods.filter((p) => !p.complete).length;
  const note = incomplete
    ? ` ${incomplete} incomplete ${unit}${incomplete === 1 ? ' is' : 's are'} marked with a hollow point.`
    : '';
  if (input.variation === null) {
    return `${input.spcPoints} ${unit}${input.spcPoints === 1 ? '' : 's'}, latest ${pct(latest)}: a run chart with the mean only, since limits need at least 13 points.${note}`;
  }
  const assurance = input.assurance ? `; ${ASSURANCE_WORDS[input.assurance]}` : '';
  return `${input.spcPoints} ${unit}s, latest ${pct(latest)}: ${VARIATION_WORDS[input.variation]}${assurance}.${note}`;
}
