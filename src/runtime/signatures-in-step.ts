import type { SignatureWrite } from '../persistence/unit-of-work';

/**
 * The signature a completion carries while its step runs. The signature row is written with the
 * step's commit, after the handlers ran; a handler of that same step (result.form, when the signing
 * step leads straight to the delivery) must still find the document the person has just signed.
 * The instance's lock keeps one completion per instance in this process, so a task id names at most
 * one signature here; it is forgotten when the step has run, committed or not.
 */
export class SignaturesInStep {
  private readonly pending = new Map<string, SignatureWrite>();

  async during<T>(signature: SignatureWrite | undefined, run: () => Promise<T>): Promise<T> {
    if (!signature) return run();
    this.pending.set(signature.taskId, signature);
    try {
      return await run();
    } finally {
      this.pending.delete(signature.taskId);
    }
  }

  of(taskId: string): SignatureWrite | undefined {
    return this.pending.get(taskId);
  }
}
