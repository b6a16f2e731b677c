import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { CustomerService } from '../customers/customer.service.ts';
import type { Authenticator } from '../auth.ts';
import { decodeCursor, encodeCursor } from '../page-cursor.ts';
import { bearer, errorResponses, Ref } from '../schemas/common.schema.ts';
import { IdParams } from '../schemas/directory.schema.ts';
import {
  AccountCreateBody,
  AccountListQuery,
  AccountPage,
  AccountPatchBody,
  AccountSchema,
  AuditListQuery,
  AuditPage,
  ContactCreateBody,
  ContactDetail,
  ContactListQuery,
  ContactPage,
  ContactPatchBody,
  ContactSchema,
  MergeBody,
  MergedContact,
} from '../schemas/customer.schema.ts';

const ID = /[0-9a-z]{1,100}/;
const page = <T>(list: string, p: { items: T[]; nextBeforeId: string | null }) => ({ items: p.items, nextCursor: p.nextBeforeId ? encodeCursor(list, p.nextBeforeId) : null });

/** Accounts and contacts: agents read them and keep contacts current; supervisors run accounts and merges. */
export function registerCustomerRoutes(app: FastifyInstance, customers: CustomerService, auth: Authenticator): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['customers'];

  api.get(
    '/api/v1/accounts',
    { onRequest: auth.require('agent'), schema: { summary: 'Accounts, newest first', tags, ...bearer('agent'), querystring: AccountListQuery, response: { 200: AccountPage, ...errorResponses(400, 401, 403, 429) } } },
    async (req) => {
      const q = req.query;
      return page('a', await customers.listAccounts({ search: q.search, limit: q.limit!, beforeId: q.cursor ? decodeCursor('a', q.cursor, ID) : undefined }));
    },
  );

  api.post(
    '/api/v1/accounts',
    {
      onRequest: auth.require('supervisor'),
      schema: { summary: 'Create an account', tags, ...bearer('supervisor'), body: AccountCreateBody, response: { 201: Ref(AccountSchema), ...errorResponses(400, 401, 403, 409, 415, 429) } },
    },
    async (req, reply) => reply.code(201).send(await customers.createAccount(req.actor!, req.body)),
  );

  api.get(
    '/api/v1/accounts/:id',
    { onRequest: auth.require('agent'), schema: { summary: 'One account', tags, ...bearer('agent'), params: IdParams, response: { 200: Ref(AccountSchema), ...errorResponses(400, 401, 403, 404, 429) } } },
    async (req) => customers.account(req.params.id),
  );

  api.patch(
    '/api/v1/accounts/:id',
    {
      onRequest: auth.require('supervisor'),
      schema: {
        summary: 'Change an account (domains replace the list; contacts without an account writing from a new one join it)',
        tags,
        ...bearer('supervisor'),
        params: IdParams,
        body: AccountPatchBody,
        response: { 200: Ref(AccountSchema), ...errorResponses(400, 401, 403, 404, 409, 415, 429) },
      },
    },
    async (req) => customers.updateAccount(req.actor!, req.params.id, req.body),
  );

  api.get(
    '/api/v1/contacts',
    { onRequest: auth.require('agent'), schema: { summary: 'Contacts, newest first', tags, ...bearer('agent'), querystring: ContactListQuery, response: { 200: ContactPage, ...errorResponses(400, 401, 403, 429) } } },
    async (req) => {
      const q = req.query;
      return page('p', await customers.listContacts({ search: q.search, accountId: q.accountId, limit: q.limit!, beforeId: q.cursor ? decodeCursor('p', q.cursor, ID) : undefined }));
    },
  );

  api.post(
    '/api/v1/contacts',
    {
      onRequest: auth.require('agent'),
      schema: {
        summary: 'Create a contact (one whose email domain belongs to an account joins it)',
        tags,
        ...bearer('agent'),
        body: ContactCreateBody,
        response: { 201: Ref(ContactSchema), ...errorResponses(400, 401, 403, 404, 409, 415, 429) },
      },
    },
    async (req, reply) => reply.code(201).send(await customers.createContact(req.actor!, req.body)),
  );

  api.get(
    '/api/v1/contacts/:id',
    { onRequest: auth.require('agent'), schema: { summary: 'One contact, with its cases on every channel', tags, ...bearer('agent'), params: IdParams, response: { 200: ContactDetail, ...errorResponses(400, 401, 403, 404, 429) } } },
    async (req) => customers.contact(req.params.id),
  );

  api.patch(
    '/api/v1/contacts/:id',
    {
      onRequest: auth.require('agent'),
      schema: { summary: 'Change a contact', tags, ...bearer('agent'), params: IdParams, body: ContactPatchBody, response: { 200: Ref(ContactSchema), ...errorResponses(400, 401, 403, 404, 409, 415, 429) } },
    },
    async (req) => customers.updateContact(req.actor!, req.params.id, req.body),
  );

  api.post(
    '/api/v1/contacts/:id/merge',
    {
      onRequest: auth.require('supervisor'),
      schema: {
        summary: 'Merge another contact into this one: its identities, cases and messages move here, then it is deleted',
        tags,
        ...bearer('supervisor'),
        params: IdParams,
        body: MergeBody,
        response: { 200: MergedContact, ...errorResponses(400, 401, 403, 404, 415, 429) },
      },
    },
    async (req) => customers.mergeContacts(req.actor!, req.params.id, req.body.from),
  );

  api.get(
    '/api/v1/audit',
    { onRequest: auth.require('supervisor'), schema: { summary: 'Changes to accounts, contacts, SLA policies, calendars, queues, agents and tokens, newest first (target: e.g. agent:<id>)', tags, ...bearer('supervisor'), querystring: AuditListQuery, response: { 200: AuditPage, ...errorResponses(400, 401, 403, 429) } } },
    async (req) => {
      const q = req.query;
      return page('u', await customers.audit({ target: q.target, limit: q.limit!, beforeId: q.cursor ? decodeCursor('u', q.cursor, ID) : undefined }));
    },
  );
}
