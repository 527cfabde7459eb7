/**
 * Sign-in, sign-out, the signed-in user, and a user's change of their own password.
 *
 * Every password check (a sign-in, or the current password of a change) is first reserved in
 * sign_in_attempts, in the same synchronous transaction that counts the earlier failed and unfinished ones
 * (server/domain/sign-in-limits.ts): guesses sent at once get at most the limit's number of checks.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { appendAudit } from '../db/repositories/audit';
import { finishSignInAttempt, reserveSignInAttempt } from '../db/repositories/sign-in-attempts';
import { findUserByUsername, setPassword } from '../db/repositories/users';
import { capabilities } from '../domain/access';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, PASSWORD_RULE } from '../domain/password-policy';
import { refusalMessage, signInRefusal, windowStart } from '../domain/sign-in-limits';
import {DomainError } from '../plugins/errors';
import { requireUser } from '../plugins/auth';
import { LoginBodySchema, MeSchema, PasswordChangeBodySchema, PasswordPolicySchema } from '../schemas/auth';
import { ErrorSchema, errorResponses } from '../schemas/common';
import { hashPassword, newPasswordProblem, verifyAgainstNothing, verifyPassword } from '../security/passwords';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  /**
   * Reserves one password check for a username from the request's address, or refuses it (429, audited as
   * `refusedAction`) when the limits are reached. Returns the attempt to finish once the password is checked.
   */
  async function reserveCheck(request: FastifyRequest, reply: FastifyReply, username: string, userId: number | null, refusedAction: 'sign-in-throttled' | 'password-change-throttled'): Promise<number> {
    const now = app.now();
    const at = now.toISOString();
    const reservation = reserveSignInAttempt(app.sqlite, { username, ip: request.ip }, at, windowStart(now), (counts) => signInRefusal(counts));
    if (reservation.ok) return reservation.attemptId;
    await appendAudit(app.db, { at, userId, username, action: refusedAction, ip: request.ip, detail: { failuresForUser: reservation.counts.byUsername, failuresFromAddress: reservation.counts.byAddress } });
    reply.header('retry-after', String(reservation.refusal.retryAfterSeconds));
    throw new DomainError('too-many-attempts', refusalMessage(reservation.refusal));
  }

  app.post('/api/auth/login', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'Sign in', body: LoginBodySchema, response: { 200: MeSchema, 429: ErrorSchema, ...errorResponses } },
  }, async (request, reply) => {
    const { username, password } = request.body;
    const name = username.trim().toLowerCase().slice(0, 100);
    const attempt = await reserveCheck(request, reply, name, null, 'sign-in-throttled');
    let user: Awaited<ReturnType<typeof findUserByUsername>> = null;
    let ok = false;
    try {
      user = await findUserByUsername(app.db, name);
      ok = user && !user.disabled ? await verifyPassword(password, user.passwordHash) : await verifyAgainstNothing(password);
    } finally {
      finishSignInAttempt(app.sqlite, attempt, ok ? 'succeeded' : 'failed');
    }
    const at = app.now().toISOString();
    if (!ok || !user) {
      await appendAudit(app.db, { at, userId: user?.id ?? null, username: name, action: 'sign-in-failed', ip: request.ip, detail: { reason: user?.disabled ? 'account disabled' : user ? 'wrong password' : 'unknown username' } });
      throw new DomainError('sign-in-failed', 'That username and password do not match an active account. Check them and try again, or ask an admin to reset your password.');
    }
    await app.startSession(request, reply, user.id);
    await appendAudit(app.db, { at, userId: user.id, username: user.username, action: 'sign-in', ip: request.ip, detail: {} });
    return { username: user.username, role: user.role, networkCode: user.networkCode, capabilities: capabilities(user) };
  });

  app.post('/api/auth/logout', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'Sign out', response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    if (request.user) {
      await appendAudit(app.db, { at: app.now().toISOString(), userId: request.user.id, username: request.user.username, action: 'sign-out', ip: request.ip, detail: {} });
    }
    await app.endSession(request, reply);
    return reply.status(204).send(null);
  });

  app.get('/api/auth/me', {
    config: { access: 'signed-in' },
    schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: MeSchema, ...errorResponses } },
  }, async (request) => {
    const user = requireUser(request);
    return { username: user.username, role: user.role, networkCode: user.networkCode, capabilities: capabilities(user) };
  });

  app.get('/api/auth/password-policy', {
    config: { access: 'signed-in' },
    schema: { tags: ['auth'], summary: 'The rule every new password must meet', response: { 200: PasswordPolicySchema, ...errorResponses } },
  }, async () => ({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH, rule: PASSWORD_RULE }));

  app.post('/api/auth/password', {
    config: { access: 'signed-in' },
    schema: {
      tags: ['auth'],
      summary: 'Change your own password (the current one is required); your other sessions end',
      body: PasswordChangeBodySchema,
      response: { 204: Type.Null(), 429: ErrorSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const me = requireUser(request);
    const { currentPassword, newPassword } = request.body;
    const problem = newPasswordProblem(newPassword, me.username);
    if (problem) throw new DomainError('weak-password', problem, [{ field: 'newPassword' }]);
    const attempt = await reserveCheck(request, reply, me.username.toLowerCase(), me.id, 'password-change-throttled');
    let ok = false;
    let record: Awaited<ReturnType<typeof findUserByUsername>> = null;
    try {
      record = await findUserByUsername(app.db, me.username);
      ok = record ? await verifyPassword(currentPassword, record.passwordHash) : false;
    } finally {
      finishSignInAttempt(app.sqlite, attempt, ok ? 'succeeded' : 'failed');
    }
    const at = app.now().toISOString();
    if (!ok || !record) {
      await appendAudit(app.db, { at, userId: me.id, username: me.username, action: 'password-change-failed', ip: request.ip, detail: { reason: 'wrong current password' } });
      throw new DomainError('wrong-password', 'Your current password is not right, so the password was not changed. Type it again; if you have forgotten it, ask an admin to reset it.', [{ field: 'currentPassword' }]);
    }
    if (await verifyPassword(newPassword, record.passwordHash)) {
      throw new DomainError('same-password', 'The new password is the same as the current one; choose a different one.', [{ field: 'newPassword' }]);
    }
    const ended = await setPassword(app.db, me.id, await hashPassword(newPassword), at, request.sessionHash);
    await appendAudit(app.db, { at, userId: me.id, username: me.username, action: 'password-changed', ip: request.ip, detail: { otherSessionsEnded: ended } });
    return reply.status(204).send(null);
  });
};
export default routes;
