import { ServiceError } from './service-error';

/** What the scripts of every Glue fake share. */
export interface ResourceScript<S> {
  /** Errors the resource's start calls throw, one per call, before it starts normally again. */
  readonly startErrors?: string[];
  /** The script the resource's next run follows once a run followed this one. */
  readonly next?: S;
}

/**
 * The scripts of one kind of Glue resource (jobs, crawlers, triggers, workflows), by name: the
 * start errors still to throw and the script each resource's next run follows.
 */
export class ScriptBook<S extends ResourceScript<S>> {
  private readonly startErrors = new Map<string, string[]>();
  private readonly current = new Map<string, S>();

  /** `what` names one resource in error messages, e.g. `job`. */
  constructor(private readonly scripts: Record<string, S>, private readonly fallback: S, private readonly what: string) {
    for (const [name, script] of Object.entries(scripts)) {
      this.startErrors.set(name, [...(script.startErrors ?? [])]);
    }
  }

  /** The script as given for the resource, if any. */
  public given(name: string): S | undefined {
    return this.scripts[name];
  }

  /** The script the resource's next run follows. */
  public scriptOf(name: string): S {
    return this.current.get(name) ?? this.scripts[name] ?? this.fallback;
  }

  /** Throws the next scripted start error of the resource, if one is left. */
  public throwStartError(name: string): void {
    const error = this.startErrors.get(name)?.shift();
    if (error) {
      throw new ServiceError(error, `${error} for ${this.what} ${name} (scripted)`);
    }
  }

  /** The script of a run starting now; the run after it follows its `next`, if any. */
  public nextRun(name: string): S {
    const script = this.scriptOf(name);
    if (script.next) {
      this.current.set(name, script.next);
    }
    return script;
  }
}
