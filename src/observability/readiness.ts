/**
 * Whether this server should get traffic: `starting` until the migrations have run and processes/
 * is deployed, `ready` then, `stopping` from the first shutdown signal on. A load balancer or an
 * orchestrator reads it at /health/ready; /health/live only says that the process answers.
 */
export type ReadinessState = 'starting' | 'ready' | 'stopping';

export class Readiness {
  constructor(private current: ReadinessState = 'starting') {}

  get state(): ReadinessState {
    return this.current;
  }

  ready(): void {
    if (this.current === 'starting') this.current = 'ready';
  }

  stopping(): void {
    this.current = 'stopping';
  }
}
