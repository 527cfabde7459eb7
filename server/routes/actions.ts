/** Actions (SPEC 12): what a learning set decided to do, with an owner, a due date and a status. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ACCESS } from '../domain/access';
import { requireUser } from '../plugins/auth';
import { errorResponses } from '../schemas/common';
import { ActionChangeSchema, ActionListSchema, ActionQuerySchema, ActionSchema, IdParamsSchema, NewActionSchema } from '../schemas/learning-loop';
import { createAction, listActions, updateAction } from '../services/learning-loop';

// Which network's items a user may read or change is decided per item by learningLoopAccess (domain/access.ts).
const READERS = ACCESS.readLearningLoop;
const WRITERS = ACCESS.writeLearningLoop;

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/actions', {
    config: { access: READERS },
    schema: {
      tags: ['learning set'],
      summary: "A network's actions, soonest due first, each flagged overdue from the server's clock",
      querystring: ActionQuerySchema,
      response: { 200: ActionListSchema, ...errorResponses },
    },
  }, async (request) => listActions(app, requireUser(request), request.query));

  app.post('/api/actions', {
    config: { access: WRITERS },
    schema: { tags: ['learning set'], summary: 'Record an action, at a meeting or on its own', body: NewActionSchema, response: { 201: ActionSchema, ...errorResponses } },
  }, async (request, reply) => reply.status(201).send(await createAction(app, { user: requireUser(request), ip: request.ip }, request.body)));

  app.patch('/api/actions/:id', {
    config: { access: WRITERS },
    schema: { tags: ['learning set'], summary: "Change an action: its status (open, done, dropped), text, owner, due date, indicator, practice or meeting", params: IdParamsSchema, body: ActionChangeSchema, response: { 200: ActionSchema, ...errorResponses } },
  }, async (request) => updateAction(app, { user: requireUser(request), ip: request.ip }, request.params.id, request.body));
};
export default routes;
