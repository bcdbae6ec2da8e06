/** Heartbeats on a timer while long native or thread work runs, so the heartbeat timeout measures liveness, not work size. */
import { heartbeat } from '@temporalio/activity';

/** Awaits `work`, heartbeating `details` every `everyMs` until it settles. */
export async function whileHeartbeating<T>(work: Promise<T>, details: unknown, everyMs = 3000): Promise<T> {
  heartbeat(details);
  const timer = setInterval(() => heartbeat(details), everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
