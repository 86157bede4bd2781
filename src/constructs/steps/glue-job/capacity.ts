/**
 * A Glue worker type. Use a constant, or `WorkerType.of()` for a type this library does not
 * list yet.
 */
export class WorkerType {
  /** 4 vCPU, 16 GB memory, 64 GB disk per worker. */
  public static readonly G_1X = new WorkerType('G.1X');
  /** 8 vCPU, 32 GB memory, 128 GB disk per worker. */
  public static readonly G_2X = new WorkerType('G.2X');
  /** 16 vCPU, 64 GB memory per worker. */
  public static readonly G_4X = new WorkerType('G.4X');
  /** 32 vCPU, 128 GB memory per worker. */
  public static readonly G_8X = new WorkerType('G.8X');
  /** 2 vCPU, 4 GB memory: low-volume streaming jobs (Glue 3.0+). */
  public static readonly G_025X = new WorkerType('G.025X');
  /** Memory-optimized worker for Ray jobs. */
  public static readonly Z_2X = new WorkerType('Z.2X');

  /** A worker type by its Glue name, e.g. `G.1X`. */
  public static of(name: string): WorkerType {
    if (!/^[A-Z][A-Za-z0-9]*\.[0-9.]+X$/.test(name)) {
      throw new Error(`worker type "${name}" is not a Glue worker type name such as "G.1X"`);
    }
    return new WorkerType(name);
  }

  private constructor(public readonly name: string) {}
}

/** Whether a run uses standard or flexible (cheaper, may wait longer for capacity) execution. */
export enum ExecutionClass {
  /** Starts at once; for time-sensitive work. */
  STANDARD = 'STANDARD',
  /** Spare capacity at a lower price; the run may wait up to about 20 minutes to start. */
  FLEX = 'FLEX',
}
