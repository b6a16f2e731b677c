import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { Type } from 'typebox';
import { describeSchemaIssues, type SchemaIssue } from '../../../gateway/validation-message.ts';
import { Nullable, StringEnum } from '../../../gateway/schemas/common.schema.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
// the options of gateway/validator.ts: the first problem only
const ajv = addFormats(new Ajv({ allErrors: false, strict: false }));

const schema = Type.Object(
  {
    state: Type.Optional(StringEnum(['open', 'closed'])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    ratio: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 5 })),
    code: Type.Optional(Type.String({ minLength: 3 })),
    email: Type.Optional(Type.String({ format: 'email' })),
    phone: Type.Optional(Type.String({ pattern: '^\\+[0-9]+$' })),
    tags: Type.Optional(Type.Array(Type.String(), { maxItems: 2 })),
    assignee: Type.Optional(Nullable(Type.String())),
    contact: Type.Optional(Type.Object({ phone: Type.Optional(Type.String()) }, { minProperties: 1 })),
    capacity: Type.Optional(Type.Unsafe({ type: 'object', propertyNames: { enum: ['chat', 'sms'] } })),
    required: Type.Optional(Type.Object({ id: Type.String() })),
  },
  { additionalProperties: false },
);
const check = ajv.compile(schema);
const choice = ajv.compile(Type.Union([Type.Object({ name: Type.Optional(Type.String({ maxLength: 3 })) }, { additionalProperties: false }), Type.Null()]));

function problems(validate: typeof check, value: unknown) {
  expect(validate(value)).toBe(false);
  return describeSchemaIssues('body', validate.errors as SchemaIssue[]).map((p) => `${p.path} ${p.message}`);
}

describe('validation messages', () => {
  it.each([
    [{ state: 'gone' }, 'body/state must be one of: open, closed'],
    [{ colour: 'red' }, 'body has an unknown property "colour"'],
    [{ limit: 201 }, 'body/limit must be ≤ 200'],
    [{ limit: 0 }, 'body/limit must be ≥ 1'],
    [{ ratio: 1 }, 'body/ratio must be < 1'],
    [{ ratio: 0 }, 'body/ratio must be > 0'],
    [{ limit: 'ten' }, 'body/limit must be an integer'],
    [{ name: '' }, 'body/name must not be empty'],
    [{ name: 'toolong' }, 'body/name must be at most 5 characters long'],
    [{ code: 'ab' }, 'body/code must be at least 3 characters long'],
    [{ email: 'nope' }, 'body/email must be a valid email'],
    [{ phone: '0049' }, 'body/phone must match ^\\+[0-9]+$'],
    [{ tags: ['a', 'b', 'c'] }, 'body/tags must have at most 2 items'],
    [{ assignee: 5 }, 'body/assignee must be a string or null'],
    [{ contact: {} }, 'body/contact must have at least one property'],
    [{ capacity: { fax: 1 } }, 'body/capacity has an unknown property "fax" (allowed: chat, sms)'],
    [{ required: {} }, 'body/required/id is required'],
    [[1], 'body must be an object'],
  ])('%j: %s', (value, message) => {
    expect(problems(check, value)).toEqual([message]);
  });

  it('of alternatives, the one of the right type says what is wrong; else their types together', () => {
    expect(problems(choice, { name: 'long name' })).toEqual(['body/name must be at most 3 characters long']);
    expect(problems(choice, { nickname: 'x' })).toEqual(['body has an unknown property "nickname"']);
    expect(problems(choice, 'text')).toEqual(['body must be an object or null']);
  });
});
