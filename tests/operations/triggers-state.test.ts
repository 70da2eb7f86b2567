/**
 * The trigger state kept in PostgreSQL: a watermark keeps the keys of every row taken at its
 * instant, and a watermark table created before that column existed is upgraded in place
 * (its watermarks read back with their own key only).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createPostgresStateStore } from '../../src/triggers/state.js';
import { createTriggerWorld, type TriggerWorld } from '../support/trigger-world.js';

let world: TriggerWorld;

beforeEach(async () => {
  world = await createTriggerWorld();
});

afterEach(async () => {
  await world.drop();
});

describe('the PostgreSQL trigger state', () => {
  it("keeps the keys taken at the watermark's instant, and upgrades a watermark table from before them", async () => {
    await world.admin.exec(
      "CREATE TABLE old_marks_watermark (follower text PRIMARY KEY, at text NOT NULL, key text NOT NULL); INSERT INTO old_marks_watermark VALUES ('event', '2026-12-01T10:00:00.000Z', '41')",
    );
    const store = createPostgresStateStore(world.url, 'old_marks');
    try {
      expect(await store.watermarks()).toEqual(new Map([['event', { at: '2026-12-01T10:00:00.000Z', key: '41' }]]));
      await store.commit([], new Map([['event', { at: '2026-12-01T10:00:01.000Z', key: '44', taken: ['42', '43', '44'] }]]));
      expect((await store.watermarks()).get('event')).toEqual({ at: '2026-12-01T10:00:01.000Z', key: '44', taken: ['42', '43', '44'] });
    } finally {
      await store.close();
    }
  });
});
