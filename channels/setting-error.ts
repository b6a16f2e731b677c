/** A setting (an environment variable) with a value the gateway cannot run with; `server.ts` prints it as one line. */
export class SettingError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
    this.name = 'SettingError';
  }
}
