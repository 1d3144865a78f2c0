import type pg from 'pg';

/** Runs `work` in a transaction on `client`, opened by `begin`: COMMIT on success, ROLLBACK on a throw. */
export async function transactionOn<T, C extends pg.ClientBase>(client: C, work: (client: C) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  await client.query(begin);
  try {
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** Runs `work` in a transaction on one pooled connection (see transactionOn). */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  try {
    return await transactionOn(client, work, begin);
  } finally {
    client.release();
  }
}
