/** Who is signed in, and what the server holds. */
import { api, ApiError, onSignedOut, type Capabilities, type Me, type Status } from '../api/client';
import { formatPeriod } from '../format/format';

class Session {
  user = $state<Me | null>(null);
  status = $state<Status | null>(null);
  /** False until the first check of the session has answered. */
  ready = $state(false);
  error = $state<string | null>(null);

  constructor() {
    onSignedOut(() => {
      this.user = null;
    });
  }

  async load(): Promise<void> {
    try {
      this.status = await api.status();
      this.user = await api.me();
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) this.error = e instanceof Error ? e.message : String(e);
      this.user = null;
    } finally {
      this.ready = true;
    }
  }

  async signIn(username: string, password: string): Promise<void> {
    this.user = await api.login({ username, password });
    this.status = await api.status();
  }

  async signOut(): Promise<void> {
    await api.logout();
    this.user = null;
  }

  /** A period as the screens name it: a month, or the quarter it ends for quarterly data. */
  label(period: string): string {
    return formatPeriod(period, this.status?.frequency ?? 'monthly');
  }

  /** What the signed-in person may do and which screens they may open, as the server decides it. */
  get capabilities(): Capabilities | null {
    return this.user?.capabilities ?? null;
  }
}

export const session = new Session();
