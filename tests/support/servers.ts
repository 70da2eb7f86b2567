/** The local servers every developer machine and CI run has (README: "The machine"). */
export const POSTGRES_SERVER_URL = process.env.C360_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const MYSQL_SERVER_URL = process.env.C360_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';

/** A database name no other test (or parallel run) uses. */
export function uniqueDatabaseName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}
