import { describe, expect, it } from 'vitest';
import { emailConfigFromEnv } from '../../../../channels/email/email.config.ts';

describe('SMTP connection limits in the email settings', () => {
  it('default to limits one client cannot fill', () => {
    const c = emailConfigFromEnv({}, '/data');
    expect(c).toMatchObject({ maxConnections: 50, maxConnectionsPerAddress: 10, idleTimeoutMs: 30_000, maxConnectionMs: 600_000 });
  });

  it('are read from the environment', () => {
    const c = emailConfigFromEnv(
      { SMTP_MAX_CONNECTIONS: '8', SMTP_MAX_CONNECTIONS_PER_ADDRESS: '2', SMTP_IDLE_TIMEOUT_MS: '5000', SMTP_MAX_CONNECTION_MS: '60000' },
      '/data',
    );
    expect(c).toMatchObject({ maxConnections: 8, maxConnectionsPerAddress: 2, idleTimeoutMs: 5000, maxConnectionMs: 60_000 });
  });

  it('refuse a per-address limit above the total, and zero or nonsense values', () => {
    expect(() => emailConfigFromEnv({ SMTP_MAX_CONNECTIONS: '5', SMTP_MAX_CONNECTIONS_PER_ADDRESS: '6' }, '/d')).toThrow(/SMTP_MAX_CONNECTIONS_PER_ADDRESS/u);
    expect(() => emailConfigFromEnv({ SMTP_MAX_CONNECTIONS: '0' }, '/d')).toThrow(/SMTP_MAX_CONNECTIONS/u);
    expect(() => emailConfigFromEnv({ SMTP_IDLE_TIMEOUT_MS: '0' }, '/d')).toThrow(/SMTP_IDLE_TIMEOUT_MS/u);
    expect(() => emailConfigFromEnv({ SMTP_MAX_CONNECTION_MS: 'soon' }, '/d')).toThrow(/SMTP_MAX_CONNECTION_MS/u);
  });

  it('lower the per-address default when the total is set below it', () => {
    expect(emailConfigFromEnv({ SMTP_MAX_CONNECTIONS: '4' }, '/d').maxConnectionsPerAddress).toBe(4);
  });
});
