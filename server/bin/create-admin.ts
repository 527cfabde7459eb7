/**
 * `npm run create-admin -- <username>`: creates an admin account in the database DATABASE_URL (PostgreSQL) or
 * DB_FILE (SQLite) names (creating and migrating the database if needed, without demo data). The password comes from ADMIN_PASSWORD, or is asked
 * for on the terminal without echo.
 */
import { createInterface } from 'node:readline';
import { readConfig } from '../config';
import { closeDatabase, openConfiguredDatabase } from '../db/database';
import { migrateDatabase } from '../db/migrate-database';
import { PASSWORD_RULE } from '../domain/password-policy';
import { newPasswordProblem } from '../security/passwords';
import { createAdminAccount } from '../services/users';

function ask(question: string, hidden: boolean): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    if (hidden) {
      const write = rl as unknown as { _writeToOutput: (s: string) => void };
      write._writeToOutput = (s: string) => {
        if (s.includes(question)) process.stdout.write(s);
      };
    }
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stdout.write('\n');
      resolve(answer);
    });
  });
}

async function main(): Promise<void> {
  const config = readConfig();
  const username = process.argv[2] ?? (await ask('Username for the new admin: ', false)).trim();
  if (!/^[A-Za-z0-9._@-]{2,100}$/.test(username))
    throw new Error('A username is 2–100 letters, digits, dots, dashes, underscores or @.');
  let password = process.env.ADMIN_PASSWORD;
  if (!password) {
    if (!process.stdin.isTTY)
      throw new Error('Set ADMIN_PASSWORD, or run this in a terminal to be asked for the password.');
    console.log(`The password: ${PASSWORD_RULE}`);
    password = await ask('Password: ', true);
    if ((await ask('Password again: ', true)) !== password) throw new Error('The passwords do not match.');
  }
  const problem = newPasswordProblem(password, username);
  if (problem) throw new Error(`${problem}\nThe rule: ${PASSWORD_RULE}`);
  const db = openConfiguredDatabase(config, { max: 1 });
  try {
    await migrateDatabase(db);
    await createAdminAccount({ db, now: () => new Date() }, username, password);
    const where = config.databaseUrl ? 'the PostgreSQL database of DATABASE_URL' : config.dbFile;
    console.log(`Admin "${username}" created in ${where}.`);
  } finally {
    await closeDatabase(db);
  }
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
