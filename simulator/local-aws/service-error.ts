/**
 * An error the local services answer with, as AWS does: HTTP 400 and `__type`, which the SDK
 * turns into the typed exception of that name.
 */
export class ServiceError extends Error {
  constructor(public readonly code: string, message: string) {
    super(message);
    this.name = code;
  }
}
