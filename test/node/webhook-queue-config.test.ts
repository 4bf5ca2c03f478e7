// The webhook queue as wrangler.toml declares it, the consumer's own idea of the last attempt, and the test config's
// copy of the consumer (which only drops the batch wait) must agree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_QUEUE } from '../../worker/webhooks/dead-letters.ts';
import { WEBHOOK_MAX_ATTEMPTS } from '../../worker/webhooks/deliver.ts';

const ROOT = join(import.meta.dirname, '../..');
const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
const vitestConfig = readFileSync(join(ROOT, 'vitest.config.ts'), 'utf8');

function table(header: string, nth = 0): Record<string, string> {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = toml.indexOf(`[[${header}]]\n`, start + 1);
  expect(start, header).toBeGreaterThanOrEqual(0);
  const body = toml.slice(start).split('\n').slice(1);
  const out: Record<string, string> = {};
  for (const line of body) {
    const m = /^(\w+) = "?([^"]*)"?$/.exec(line.trim());
    if (!m) break;
    out[m[1]!] = m[2]!;
  }
  return out;
}

describe('webhook queue configuration', () => {
  it('producer and consumer are the same queue, with a dead-letter queue and max_retries + 1 = WEBHOOK_MAX_ATTEMPTS', () => {
    const producer = table('queues.producers');
    const consumer = table('queues.consumers');
    expect(producer).toEqual({ binding: 'WEBHOOKS', queue: 'attune-webhooks' });
    expect(consumer.queue).toBe('attune-webhooks');
    expect(consumer.dead_letter_queue).toBe('attune-webhooks-dlq');
    expect(Number(consumer.max_retries) + 1).toBe(WEBHOOK_MAX_ATTEMPTS);
    expect(Number(consumer.max_batch_size)).toBeGreaterThan(0);
    expect(Number(consumer.max_batch_timeout)).toBeGreaterThanOrEqual(0);
    // The tests' consumer differs only in its batch wait.
    expect(vitestConfig).toContain(`maxRetries: ${consumer.max_retries},`);
    expect(vitestConfig).toContain(`deadLetterQueue: '${consumer.dead_letter_queue}'`);
    expect(vitestConfig).toContain(`maxBatchSize: ${consumer.max_batch_size},`);
  });

  it('the dead-letter queue has a consumer (this Worker, worker/webhooks/dead-letters.ts) and a producer to park in', () => {
    expect(table('queues.consumers').dead_letter_queue).toBe(DEAD_LETTER_QUEUE);
    expect(table('queues.producers', 1)).toEqual({ binding: 'WEBHOOKS_DLQ', queue: DEAD_LETTER_QUEUE });
    const consumer = table('queues.consumers', 1);
    expect(consumer.queue).toBe(DEAD_LETTER_QUEUE);
    // No dead-letter queue of its own: a dead letter it cannot handle is retried, never moved on.
    expect(consumer.dead_letter_queue).toBeUndefined();
    expect(vitestConfig).toContain(
      `'${DEAD_LETTER_QUEUE}': { maxBatchSize: ${consumer.max_batch_size}, maxBatchTimeout: 0, maxRetries: ${consumer.max_retries}, retryDelay: ${consumer.retry_delay} }`,
    );
  });
});
