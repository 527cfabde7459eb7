import { must } from './must';

/**
 * The valid rows of a submission, held column by column in typed arrays rather than as one object per row,
 * so a national file of millions of rows costs about 26 bytes a row while it waits to be written.
 */
export interface BatchRow {
  period: string;
  practiceId: number;
  indicatorCode: string;
  numerator: number;
  denominator: number;
  exceptions: number | null;
  /** Row of the source file the value came from (header = row 1). */
  row: number;
}

export class ObservationBatch {
  length = 0;
  readonly periods: string[] = [];
  readonly indicatorCodes: string[] = [];
  private readonly periodSlots = new Map<string, number>();
  private readonly indicatorSlots = new Map<string, number>();
  private capacity = 0;
  periodSlot = new Uint16Array(0);
  indicatorSlot = new Uint16Array(0);
  practiceId = new Int32Array(0);
  numerator = new Int32Array(0);
  denominator = new Int32Array(0);
  /** -1 where the file gave no exceptions count. */
  exceptions = new Int32Array(0);
  row = new Int32Array(0);

  private grow(): void {
    const capacity = Math.max(1024, this.capacity * 2);
    const copy = <T extends Uint16Array | Int32Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.periodSlot = copy(this.periodSlot, new Uint16Array(capacity));
    this.indicatorSlot = copy(this.indicatorSlot, new Uint16Array(capacity));
    this.practiceId = copy(this.practiceId, new Int32Array(capacity));
    this.numerator = copy(this.numerator, new Int32Array(capacity));
    this.denominator = copy(this.denominator, new Int32Array(capacity));
    this.exceptions = copy(this.exceptions, new Int32Array(capacity));
    this.row = copy(this.row, new Int32Array(capacity));
    this.capacity = capacity;
  }

  private slot(map: Map<string, number>, list: string[], value: string): number {
    let slot = map.get(value);
    if (slot === undefined) {
      slot = list.length;
      list.push(value);
      map.set(value, slot);
    }
    return slot;
  }

  push(r: BatchRow): void {
    if (this.length === this.capacity) this.grow();
    const i = this.length++;
    this.periodSlot[i] = this.slot(this.periodSlots, this.periods, r.period);
    this.indicatorSlot[i] = this.slot(this.indicatorSlots, this.indicatorCodes, r.indicatorCode);
    this.practiceId[i] = r.practiceId;
    this.numerator[i] = r.numerator;
    this.denominator[i] = r.denominator;
    this.exceptions[i] = r.exceptions ?? -1;
    this.row[i] = r.row;
  }

  /** Row i of the batch as one object (for reading a batch back; the writer reads the columns directly). */
  get(i: number): BatchRow {
    if (!Number.isInteger(i) || i < 0 || i >= this.length)
      throw new RangeError(`row ${i} is outside the batch of ${this.length} rows`);
    const exceptions = must(this.exceptions[i], 'an exceptions slot inside the length');
    return {
      period: must(this.periods[must(this.periodSlot[i], 'a period slot inside the length')], 'a known period slot'),
      practiceId: must(this.practiceId[i], 'a practice slot inside the length'),
      indicatorCode: must(
        this.indicatorCodes[must(this.indicatorSlot[i], 'an indicator slot inside the length')],
        'a known indicator slot',
      ),
      numerator: must(this.numerator[i], 'a numerator slot inside the length'),
      denominator: must(this.denominator[i], 'a denominator slot inside the length'),
      exceptions: exceptions < 0 ? null : exceptions,
      row: must(this.row[i], 'a row slot inside the length'),
    };
  }
}
