/** One running lakerunner service (a boxer, a worker, pubsub): started and stopped as a unit. */
export interface Service {
  readonly name: string;
  start(): Promise<void>;
  /** Finishes or releases work in hand, commits what is done, leaves its consumer group. */
  stop(): Promise<void>;
  /** topic → partitions it holds now, for consumers. */
  assignment?(): Record<string, number[]>;
}
