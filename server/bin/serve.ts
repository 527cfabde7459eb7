/** `npm run serve`: serves the dashboard on the settings of the environment (server/config.ts), without building the web app. */
import { readConfig } from '../config';
import { serve } from '../serve';

try {
  await serve(readConfig());
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
