import type { Response } from 'express';

/** The admin API's one error shape, `{error: {type, message}}`; it speaks to operators, not SDKs. */
export function sendAdminError(response: Response, status: number, type: string, message: string): void {
  response.status(status).json({ error: { type, message } });
}
