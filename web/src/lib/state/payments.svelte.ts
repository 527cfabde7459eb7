/**
 * The Payments screen's state: the contract years, the statements for the year and month in the address, and
 * signing a year off or reopening it. Made once by pages/Payments.svelte; its components read it.
 */
import { api, ApiError } from '../api/client';
import { Resource } from './resource.svelte';
import { router } from './router.svelte';
import { session } from './session.svelte';

export type PaymentsDialog = 'sign-off' | 'reopen';

export class PaymentsState {
  readonly years = new Resource((signal) => api.contractYears(signal));

  /** The year in the address, else the one the server opens on (the year of the latest figures). */
  year = $derived(router.query.get('year') ?? this.years.data?.find((y) => y.isDefault)?.code ?? null);
  /** The month in the address; none means the year's final month (or the latest with figures). */
  period = $derived(router.query.get('period') ?? undefined);
  yearInfo = $derived(this.years.data?.find((y) => y.code === this.year) ?? null);

  /** ?print=1&network=N1: the network whose statement is laid out for printing (the list is then not loaded). */
  printing = $derived(router.query.get('print') === '1' ? router.query.get('network') : null);

  /** Every network's statement in brief; each network's evidence is loaded when its statement is opened. */
  readonly statements = new Resource((signal) => {
    const year = this.year;
    return year && !this.printing ? api.payments({ year, period: this.period }, signal) : null;
  });

  /** The statement being printed, with all its evidence. */
  readonly printed = new Resource((signal) => {
    const year = this.year;
    const network = this.printing;
    return year && network ? api.paymentStatement({ year, period: this.period, network }, signal) : null;
  });

  error = $derived((this.years.error ?? this.statements.error ?? this.printed.error)?.message ?? null);
  /** This person signs years off (whether this year can be signed off now is the year's canSignOff). */
  signsOff = $derived(session.capabilities?.signOff ?? false);
  /** The indicator figures still incomplete, as "N1 DM-BP". */
  incomplete = $derived(
    this.statements.data?.networks.flatMap((n) => n.incompleteIndicators.map((i) => `${n.code} ${i}`)) ?? [],
  );

  dialog = $state<PaymentsDialog | null>(null);
  dialogBusy = $state(false);
  dialogError = $state<string | null>(null);
  notice = $state<string | null>(null);

  chooseYear(code: string): void {
    router.setQuery('period', null);
    router.setQuery('year', code);
  }

  choosePeriod(period: string): void {
    router.setQuery('period', period);
  }

  open(dialog: PaymentsDialog): void {
    this.dialogError = null;
    this.dialog = dialog;
  }

  /** Signs the year off (with the reason as an override when figures are incomplete) or reopens it. */
  async confirm(reason: string): Promise<void> {
    const year = this.year;
    if (!year) return;
    this.dialogBusy = true;
    this.dialogError = null;
    try {
      if (this.dialog === 'sign-off') {
        await api.signOff(year, this.incomplete.length ? { overrideReason: reason } : {});
        this.notice =
          `Contract year ${year} is signed off and locked: its statements are frozen and uploads for its months ` +
          'are refused until it is reopened.';
      } else {
        await api.reopen(year, { reason });
        this.notice =
          `Contract year ${year} is reopened: figures for its months can change again, and the statements are ` +
          'provisional until it is signed off again.';
      }
      this.dialog = null;
      // The years first: the year's "(signed off)" is right by the time the statement says so.
      await this.years.reload();
      await this.statements.reload();
    } catch (e) {
      this.dialogError = e instanceof ApiError ? e.message : String(e);
    } finally {
      this.dialogBusy = false;
    }
  }
}
