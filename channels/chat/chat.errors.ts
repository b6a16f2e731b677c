/** Errors of the chat endpoints; the gateway renders any coded error as {"error":{"code","message"}}. */
export class ChatError extends Error {
  constructor(
    readonly code: 'INVALID_TOKEN' | 'VALIDATION_FAILED',
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}
