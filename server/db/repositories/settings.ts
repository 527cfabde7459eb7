/**
 * The settings table: what this database holds, kept with it. Known keys: `demo` ('true' for the synthetic
 * demo data), `dataset` (a named dataset such as 'tower-hamlets') and `attribution` (the licence text every
 * screen shows for it).
 */
import type { Db } from '../database';

export type SettingKey = 'demo' | 'dataset' | 'attribution';

export async function getSetting(db: Db, key: SettingKey): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value ?? null;
}

export async function setSetting(db: Db, key: SettingKey, value: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
