// A refusal the person can read. `code` is stable (scripts match on it); `message` is a plain sentence.
export class DomainError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export function refuse(code: string, message: string, details: Record<string, unknown> = {}): never {
  throw new DomainError(code, message, details);
}
