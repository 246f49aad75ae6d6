import { HttpStatus } from '@nestjs/common';

/** Stable codes clients can rely on; the HTTP filter maps them to statuses. */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  ApiKeyMissing = 'API_KEY_MISSING',
  ApiKeyInvalid = 'API_KEY_INVALID',
  SourceNotAllowed = 'SOURCE_NOT_ALLOWED',
  NotFound = 'NOT_FOUND',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  BadFile = 'BAD_FILE',
  NotReady = 'NOT_READY',
  Conflict = 'CONFLICT',
  Forbidden = 'FORBIDDEN',
  Unauthorized = 'UNAUTHORIZED',
  TooManyRequests = 'TOO_MANY_REQUESTS',
}

const STATUS: Record<ErrorCode, HttpStatus> = {
  [ErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [ErrorCode.ApiKeyMissing]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.ApiKeyInvalid]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.SourceNotAllowed]: HttpStatus.FORBIDDEN,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.BadFile]: HttpStatus.BAD_REQUEST,
  [ErrorCode.NotReady]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.Conflict]: HttpStatus.CONFLICT,
  [ErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ErrorCode.Unauthorized]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.TooManyRequests]: HttpStatus.TOO_MANY_REQUESTS,
};

export interface FieldError {
  /** The row of an uploaded file, when the error is in one. */
  row?: number;
  field: string;
  message: string;
}

export class DomainException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
  }

  get status(): HttpStatus {
    return STATUS[this.code];
  }
}
