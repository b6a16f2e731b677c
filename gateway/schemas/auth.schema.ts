import { Type } from 'typebox';
import { ROLES } from '../../store/token.repository.ts';
import { Ref, StringEnum } from './common.schema.ts';
import { AgentSchema } from './directory.schema.ts';
import { MAX_PASSWORD_LENGTH } from '../people/password-hash.ts';

export const SignInBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
  },
  { additionalProperties: false },
);

export const SessionSchema = Type.Object(
  {
    agent: Ref(AgentSchema),
    role: StringEnum(ROLES),
    csrfToken: Type.String({ description: 'send it back in X-CSRF-Token with every request that changes something' }),
    expiresAt: Type.String({ format: 'date-time', description: 'the session ends then unless used before (each use moves it on, up to SESSION_MAX_DAYS)' }),
  },
  { $id: 'Session' },
);

export const InvitationParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });

export const InvitationSchema = Type.Object({
  name: Type.String({ description: 'the agent the link is for' }),
  email: Type.String(),
});

export const SetPasswordBody = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH, description: 'at least 10 characters, not the email address' }) },
  { additionalProperties: false },
);

export const SHARED_AUTH_SCHEMAS = [SessionSchema];
