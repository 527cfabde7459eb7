/** Checking an uploaded file of figures (SPEC section 6): the validator, and the layouts it reads. */
export { SubmissionValidator } from './validator';
export { uploadMembership, type UploadMembership } from './membership';
export * from './types';
