/**
 * Meeting mode's deck (SPEC 9 and 12), as pure functions: which slides it has and in what order, which
 * domain it opens on, and the words for an action's status and how an indicator moved. The server decides
 * every figure, standing and signal; this only arranges and words what it said.
 */

export type Slide =
  | { kind: 'opening' }
  | { kind: 'previous-actions'; part: number; parts: number; from: number; to: number }
  | { kind: 'changes'; part: number; parts: number; from: number; to: number }
  | { kind: 'indicator'; code: string }
  | { kind: 'actions' }
  | { kind: 'closing' };

/** How many rows fit on one slide of a list (previous actions, changed indicators). */
export const ROWS_PER_SLIDE = 4;

function parts(kind: 'previous-actions' | 'changes', count: number): Slide[] {
  const n = Math.max(1, Math.ceil(count / ROWS_PER_SLIDE));
  return Array.from({ length: n }, (_, i) => ({
    kind,
    part: i + 1,
    parts: n,
    from: i * ROWS_PER_SLIDE,
    to: Math.min(count, (i + 1) * ROWS_PER_SLIDE),
  }));
}

/**
 * The slides: the opening (the network's standing); with a meeting that has a previous one, the previous
 * meeting's actions and the indicators that changed since (as many slides as they need, none when empty);
 * one slide per indicator of the domain; with a meeting, this meeting's actions; the closing summary.
 */
export function deckSlides(input: {
  indicators: readonly string[];
  meeting: boolean;
  previousActions: number;
  changes: number;
  hasPrevious: boolean;
}): Slide[] {
  return [
    { kind: 'opening' },
    ...(input.meeting && input.hasPrevious ? parts('previous-actions', input.previousActions) : []),
    ...(input.meeting && input.hasPrevious ? parts('changes', input.changes) : []),
    ...input.indicators.map((code) => ({ kind: 'indicator' as const, code })),
    ...(input.meeting ? [{ kind: 'actions' as const }] : []),
    { kind: 'closing' },
  ];
}

/**
 * The domain the deck shows: the one asked for, else the first of the year's domains that has figures
 * (an indicator with patients in its denominator), else the first domain.
 */
export function openingDomain(
  asked: string | null,
  domains: readonly { code: string; total: number }[],
  indicators: readonly { domain: string; denominator: number | null }[],
): string | null {
  const known = domains.filter((d) => d.total > 0);
  if (asked && known.some((d) => d.code === asked)) return asked;
  const withData = known.find((d) => indicators.some((i) => i.domain === d.code && (i.denominator ?? 0) > 0));
  return withData?.code ?? known[0]?.code ?? null;
}

export interface MovementLike {
  before: { rate: number | null } | null;
  after: { rate: number | null } | null;
  direction: 'improved' | 'worsened' | 'unchanged' | 'not-comparable';
}

const pct = (r: number | null | undefined) => (r === null || r === undefined ? '–' : `${(r * 100).toFixed(1)}%`);

/** "81.2% → 82.0% ▲ improved": the figure before, after, and the direction the server compared exactly. */
export function movementText(m: MovementLike): string {
  const mark = { improved: '▲ improved', worsened: '▼ worsened', unchanged: '= unchanged', 'not-comparable': '' }[
    m.direction
  ];
  if (m.direction === 'not-comparable') return `${pct(m.before?.rate)} → ${pct(m.after?.rate)} (not comparable)`;
  return `${pct(m.before?.rate)} → ${pct(m.after?.rate)} ${mark}`;
}

/** An action's status in words with a mark, never colour alone; an overdue open action says so. */
export function actionStatus(a: { status: 'open' | 'done' | 'dropped'; overdue: boolean }): {
  mark: string;
  text: string;
  kind: 'good' | 'warn' | 'neutral' | 'bad';
} {
  if (a.status === 'done') return { mark: '✓', text: 'Done', kind: 'good' };
  if (a.status === 'dropped') return { mark: '–', text: 'Dropped', kind: 'neutral' };
  return a.overdue ? { mark: '!', text: 'Overdue', kind: 'bad' } : { mark: '○', text: 'Open', kind: 'warn' };
}
