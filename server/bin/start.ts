/** `npm start`: builds the web app when it is missing or older than its sources, then serves the dashboard. */
import { readConfig } from '../config';
import { ensureWebBuilt, serve } from '../serve';

try {
  const config = readConfig();
  if (!ensureWebBuilt()) process.exit(1);
  await serve(config);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
