/** Stable English error codes with a Chinese message a clerk understands. */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf_failed'
  | 'password_change_required'
  | 'account_locked'
  | 'not_found'
  | 'conflict'
  | 'version_conflict'
  | 'unprocessable'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  password_change_required: 403,
  account_locked: 423,
  not_found: 404,
  conflict: 409,
  version_conflict: 409,
  unprocessable: 422,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503, // a server-side tool is missing (LibreOffice for PDF)
  internal: 500,
};

/** An error meant for the client: rendered as {error: {code, message, details}} with the code's HTTP status. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly status: number;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
    this.status = STATUS[code];
  }
}

/** 404 with a Chinese message naming what was not found. */
export function notFound(what: string): AppError {
  return new AppError('not_found', `${what}不存在或无权访问`);
}
