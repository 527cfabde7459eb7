/** Annotations (SPEC 12): dated notes on a network's indicator, optionally about one practice. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS } from '../domain/access';
import { requireUser } from '../plugins/auth';
import { errorResponses } from '../schemas/common';
import { AnnotationChangeSchema, AnnotationListSchema, AnnotationQuerySchema, AnnotationSchema, IdParamsSchema, NewAnnotationSchema } from '../schemas/learning-loop';
import { createAnnotation, deleteAnnotation, listAnnotations, updateAnnotation } from '../services/learning-loop';

// Which network's items a user may read or change is decided per item by learningLoopAccess (domain/access.ts).
const READERS = ACCESS.readLearningLoop;
const WRITERS = ACCESS.writeLearningLoop;

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/annotations', {
    config: { access: READERS },
    schema: {
      tags: ['learning set'],
      summary: "A network's annotations, optionally for one indicator, practice or span of months",
      querystring: AnnotationQuerySchema,
      response: { 200: AnnotationListSchema, ...errorResponses },
    },
  }, async (request) => listAnnotations(app, requireUser(request), request.query));

  app.post('/api/annotations', {
    config: { access: WRITERS },
    schema: { tags: ['learning set'], summary: "Annotate a network's indicator at a month", body: NewAnnotationSchema, response: { 201: AnnotationSchema, ...errorResponses } },
  }, async (request, reply) => reply.status(201).send(await createAnnotation(app, { user: requireUser(request), ip: request.ip }, request.body)));

  app.patch('/api/annotations/:id', {
    config: { access: WRITERS },
    schema: { tags: ['learning set'], summary: 'Change an annotation', params: IdParamsSchema, body: AnnotationChangeSchema, response: { 200: AnnotationSchema, ...errorResponses } },
  }, async (request) => updateAnnotation(app, { user: requireUser(request), ip: request.ip }, request.params.id, request.body));

  app.delete('/api/annotations/:id', {
    config: { access: WRITERS },
    schema: { tags: ['learning set'], summary: 'Delete an annotation (the audit log keeps what it said)', params: IdParamsSchema, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    await deleteAnnotation(app, { user: requireUser(request), ip: request.ip }, request.params.id);
    return reply.status(204).send(null);
  });
};
export default routes;
