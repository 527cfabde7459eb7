/**
 * The learning-set loop's calls (SPEC 12): annotations, meetings, actions, the meeting-mode agenda and the
 * network's standing. Types come from the server's schemas (`import type` only).
 */
import type {
  Action,
  ActionChangeBody,
  ActionList,
  ActionQuery,
  Agenda,
  Annotation,
  AnnotationList,
  AnnotationQuery,
  Meeting,
  MeetingList,
  NetworkStanding,
  NewActionBody,
  NewAnnotationBody,
  NewMeetingBody,
  StandingQuery,
} from '../../../../server/schemas/learning-loop';
import { get, query, request } from './client';

export type { Action, Agenda, Annotation, AnnotationList, Meeting, MeetingList, NetworkStanding, NewActionBody };
export type AgendaAction = Agenda['previousActions'][number];
export type IndicatorChange = Agenda['changedIndicators'][number];

export const loopApi = {
  annotations: (q: AnnotationQuery, signal?: AbortSignal) => get<AnnotationList>(`/api/annotations${query(q)}`, signal),
  addAnnotation: (body: NewAnnotationBody) => request<Annotation>('POST', '/api/annotations', body),
  deleteAnnotation: (id: number) => request<void>('DELETE', `/api/annotations/${id}`),
  meetings: (network: string, signal?: AbortSignal) => get<MeetingList>(`/api/meetings${query({ network })}`, signal),
  startMeeting: (body: NewMeetingBody) => request<Meeting>('POST', '/api/meetings', body),
  agenda: (id: number, signal?: AbortSignal) => get<Agenda>(`/api/meetings/${id}/agenda`, signal),
  actions: (q: ActionQuery, signal?: AbortSignal) => get<ActionList>(`/api/actions${query(q)}`, signal),
  addAction: (body: NewActionBody) => request<Action>('POST', '/api/actions', body),
  changeAction: (id: number, body: ActionChangeBody) => request<Action>('PATCH', `/api/actions/${id}`, body),
  standing: (q: StandingQuery, signal?: AbortSignal) => get<NetworkStanding>(`/api/standing${query(q)}`, signal),
};
