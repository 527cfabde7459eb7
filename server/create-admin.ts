/**
 * `npm run create-admin -- <username>`: creates an admin account in the database DB_FILE names (creating and
 * migrating the database if needed, without demo data). The password comes from ADMIN_PASSWORD, or is asked
 * for on the terminal without echo.
 */
import { createInterface } from 'node:readline';
import { readConfig } from './config';
import { openDatabase } from './db/database';
import { migrate } from './db/migrate';
import { findUserByUsername, insertUser } from './db/repositories/users';
import { appendAudit } from './db/repositories/audit';
import { PASSWORD_RULE } from './domain/password-policy';
import { hashPassword, newPasswordProblem } from './security/passwords';

function ask(question: string, hidden: boolean): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    if (hidden) {
      const write = (rl as unknown as { _writeToOutput: (s: string) => void });
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
  if (!/^[A-Za-z0-9._@-]{2,100}$/.test(username)) throw new Error('A username is 2–100 letters, digits, dots, dashes, underscores or @.');
  let password = process.env.ADMIN_PASSWORD;
  if (!password) {
    if (!process.stdin.isTTY) throw new Error('Set ADMIN_PASSWORD, or run this in a terminal to be asked for the password.');
    console.log(`The password: ${PASSWORD_RULE}`);
    password = await ask('Password: ', true);
    if ((await ask('Password again: ', true)) !== password) throw new Error('The passwords do not match.');
  }
  const problem = newPasswordProblem(password, username);
  if (problem) throw new Error(`${problem}\nThe rule: ${PASSWORD_RULE}`);
  const handle = openDatabase(config.dbFile);
  try {
    migrate(handle.sqlite);
    if (await findUserByUsername(handle.db, username)) throw new Error(`There is already a user "${username}".`);
    const now = new Date().toISOString();
    const id = await insertUser(handle.db, { username, passwordHash: await hashPassword(password), role: 'admin', networkCode: null }, now);
    await appendAudit(handle.db, { at: now, userId: null, username: 'create-admin (command line)', action: 'user-created', ip: null, detail: { userId: id, username, role: 'admin' } });
    console.log(`Admin "${username}" created in ${config.dbFile}.`);
  } finally {
    await handle.close();
  }
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
