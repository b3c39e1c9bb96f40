/**
 * Worker-pool entry (tinypool): a batch of page groups in, their diagnostics out; or a batch of files in, their
 * identities out.
 */
import {
  checkBatch,
  identifyBatch,
  identifyReading,
  type CheckTask,
  type GroupOutcome,
  type IdentifyOutcome,
  type IdentifyTask,
} from './check.js';

export default function check(task: CheckTask): GroupOutcome[] {
  return checkBatch(task);
}

export function identify(task: IdentifyTask): IdentifyOutcome[] | Promise<IdentifyOutcome[]> {
  return task.read ? identifyBatch(task) : identifyReading(task);
}
