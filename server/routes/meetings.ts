/** Learning-set meetings (SPEC 12) and what meeting mode shows for one. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ACCESS } from '../domain/access';
import { requireUser } from '../plugins/auth';
import { errorResponses } from '../schemas/common';
import { AgendaSchema, IdParamsSchema, MeetingChangeSchema, MeetingListSchema, MeetingQuerySchema, MeetingSchema, NewMeetingSchema } from '../schemas/learning-loop';
import { createMeeting, getMeeting, listMeetings, meetingAgenda, updateMeeting } from '../services/learning-loop';

// Which network's items a user may read or change is decided per item by learningLoopAccess (domain/access.ts).
const READERS = ACCESS.readLearningLoop;
const WRITERS = ACCESS.writeLearningLoop;

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/meetings', {
    config: { access: READERS },
    schema: { tags: ['learning set'], summary: "A network's learning-set meetings, the latest first", querystring: MeetingQuerySchema, response: { 200: MeetingListSchema, ...errorResponses } },
  }, async (request) => listMeetings(app, requireUser(request), request.query.network));

  app.post('/api/meetings', {
    config: { access: WRITERS },
    schema: { tags: ['learning set'], summary: 'Record a meeting: when it was held and the month it reviewed', body: NewMeetingSchema, response: { 201: MeetingSchema, ...errorResponses } },
  }, async (request, reply) => reply.status(201).send(await createMeeting(app, { user: requireUser(request), ip: request.ip }, request.body)));

  app.get('/api/meetings/:id', {
    config: { access: READERS },
    schema: { tags: ['learning set'], summary: 'One meeting', params: IdParamsSchema, response: { 200: MeetingSchema, ...errorResponses } },
  }, async (request) => getMeeting(app, requireUser(request), request.params.id));

  app.patch('/api/meetings/:id', {
    config: { access: WRITERS },
    schema: { tags: ['learning set'], summary: 'Change a meeting', params: IdParamsSchema, body: MeetingChangeSchema, response: { 200: MeetingSchema, ...errorResponses } },
  }, async (request) => updateMeeting(app, { user: requireUser(request), ip: request.ip }, request.params.id, request.body));

  app.get('/api/meetings/:id/agenda', {
    config: { access: READERS },
    schema: {
      tags: ['learning set'],
      summary: "Meeting mode: the previous meeting's actions and how their indicators moved, the indicators whose standing or SPC signal changed since the month it reviewed, and this meeting's actions",
      params: IdParamsSchema,
      response: { 200: AgendaSchema, ...errorResponses },
    },
  }, async (request) => meetingAgenda(app, requireUser(request), request.params.id));
};
export default routes;
