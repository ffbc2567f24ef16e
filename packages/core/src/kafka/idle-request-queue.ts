// What an idle process costs is mostly what kafkajs 2.2.4 (unmaintained) does on each of its
// broker connections — a `run --all` holds about 35 — while nothing happens:
//
// 1. RequestQueue.scheduleCheckPendingRequests schedules itself with a negative delay
//    (throttledUntil is -1), which Node runs after 1 ms, forever (kafkajs issues #1556, #1704; on
//    Node 24 it also prints TimeoutNegativeWarning, #1751). The fix the issue threads converge
//    on: with nothing pending and no throttle to wait out, schedule nothing — a new request is
//    sent at once or schedules its own check, and every answered request checks the queue again.
// 2. RequestQueue.scheduleRequestTimeoutCheck looks for timed-out requests every 100 ms. Request
//    timeouts are tens of seconds (kafka.requestTimeoutMs), so once a second finds them as well.
// 3. That check is a timer per connection, each waking the process on its own second: one sweep a
//    second covers every connection of the process.
//
// An idle `run --all` woke up about 1,600 times a second before these, about 30 after.
import { createRequire } from 'node:module';

// An internal module of kafkajs (CommonJS, no types): loaded the way kafkajs loads it.
const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js');

/** kafkajs' own interval for pending requests (a constant private to its module). */
const CHECK_PENDING_REQUESTS_INTERVAL = 10;
const REQUEST_TIMEOUT_CHECK_INTERVAL = 1000;

interface QueueState {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
  enforceRequestTimeout: boolean;
  requestTimeout: number;
  inflight: Map<unknown, { sentAt: number; requestTimeout: number; timeoutRequest(): void }>;
  isConnected(): boolean;
  destroy(): void;
}

const prototype = (RequestQueue as { prototype?: Record<string, unknown> } | undefined)?.prototype;
if (typeof prototype?.scheduleCheckPendingRequests === 'function') {
  prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: QueueState) {
    if (this.throttleCheckTimeoutId) return;
    const untilUnthrottled = this.throttledUntil - Date.now();
    let delay: number;
    if (this.pending.length > 0)
      delay = untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL;
    else if (untilUnthrottled > 0) delay = untilUnthrottled;
    else return;
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, delay);
  };
}

/**
 * The connections whose requests are watched for timeouts, by how often they are looked at: one
 * timer per interval for the whole process (all of them share kafka.requestTimeoutMs, so one in
 * practice) instead of one per connection, each waking the process on its own second.
 */
const sweeps = new Map<number, { queues: Set<QueueState>; timer: NodeJS.Timeout }>();

function sweep(queues: Set<QueueState>) {
  const now = Date.now();
  for (const queue of queues) {
    for (const request of queue.inflight.values()) {
      if (now - request.sentAt > request.requestTimeout) request.timeoutRequest();
    }
    if (!queue.isConnected()) queue.destroy();
  }
}

function unwatch(queue: QueueState) {
  for (const [every, s] of sweeps) {
    if (!s.queues.delete(queue) || s.queues.size > 0) continue;
    clearInterval(s.timer);
    sweeps.delete(every);
  }
}

if (typeof prototype?.scheduleRequestTimeoutCheck === 'function' && typeof prototype.destroy === 'function') {
  const destroy = prototype.destroy as (this: QueueState) => void;
  prototype.destroy = function destroyQueue(this: QueueState) {
    unwatch(this);
    destroy.call(this);
  };
  prototype.scheduleRequestTimeoutCheck = function scheduleRequestTimeoutCheck(this: QueueState) {
    if (!this.enforceRequestTimeout) return;
    this.destroy();
    const every = Math.min(this.requestTimeout, REQUEST_TIMEOUT_CHECK_INTERVAL);
    let s = sweeps.get(every);
    if (!s) {
      const queues = new Set<QueueState>();
      s = { queues, timer: setInterval(() => sweep(queues), every) };
      sweeps.set(every, s);
    }
    s.queues.add(this);
  };
}
