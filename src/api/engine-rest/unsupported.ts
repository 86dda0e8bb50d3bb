import express, { Router } from 'express';
import { CamundaError } from './camunda-error';

/**
 * The parts of Camunda 7.24's REST API this server does not have, each answered in Camunda's error
 * shape with the reason, so that a client shows why instead of a bare "not found". Mounted after
 * every resource /engine-rest serves: a path a resource answers never reaches these. The status is
 * Camunda's for a resource that does not exist (404 InvalidRequestException); a change to what the
 * server keeps as record (deleting a deployment) is refused as Camunda refuses a missing permission
 * (403 AuthorizationException). docs/camunda-7.md lists the same table.
 */
export const UNSUPPORTED: { paths: string[]; methods?: string[]; status: number; type: string; message: string }[] = [
  { paths: ['/tenant', '/tenant/*rest'], status: 404, type: 'InvalidRequestException', message: 'This server has no tenants: every reglament and every case belongs to the one office the server runs for' },
  { paths: ['/authorization', '/authorization/*rest'], status: 404, type: 'InvalidRequestException', message: "This server has no authorizations API: who may do what follows from the users' groups (users file) and the diagrams' candidate groups, see docs/security.md" },
  {
    paths: ['/decision-definition', '/decision-definition/*rest', '/decision-requirements-definition', '/decision-requirements-definition/*rest', '/history/decision-instance', '/history/decision-instance/*rest', '/history/decision-requirements-definition/*rest'],
    status: 404,
    type: 'InvalidRequestException',
    message: 'This server runs no DMN decisions: the decisions of a reglament are made by people in its user tasks and written in the diagram',
  },
  {
    paths: ['/case-definition', '/case-definition/*rest', '/case-instance', '/case-instance/*rest', '/case-execution', '/case-execution/*rest', '/history/case-instance', '/history/case-instance/*rest', '/history/case-activity-instance', '/history/case-activity-instance/*rest', '/history/case-definition/*rest'],
    status: 404,
    type: 'InvalidRequestException',
    message: 'This server runs no CMMN cases: every reglament is a BPMN process',
  },
  { paths: ['/batch', '/batch/*rest', '/history/batch', '/history/batch/*rest'], status: 404, type: 'InvalidRequestException', message: 'This server has no batches: every operation applies to one case at a time' },
  {
    paths: ['/migration', '/migration/*rest', '/modification', '/modification/*rest', '/process-instance/:id/modification'],
    status: 404,
    type: 'InvalidRequestException',
    message: 'This server neither migrates nor modifies running instances: a case runs to its end on the version of the reglament it started on, moved only by its steps',
  },
  {
    paths: ['/job', '/job/*rest', '/job-definition', '/job-definition/*rest', '/history/job-log', '/history/job-log/*rest'],
    status: 404,
    type: 'InvalidRequestException',
    message: "This server has no jobs: its timers are fired by the server's own scheduler (a stuck step is an incident, retried through /api)",
  },
  { paths: ['/incident/:id/annotation', '/history/user-operation/:id/set-annotation', '/history/user-operation/:id/clear-annotation'], status: 404, type: 'InvalidRequestException', message: 'This server keeps no annotations: say it in a comment on the task (POST /task/{id}/comment/create)' },
  {
    paths: ['/user', '/user/*rest', '/group', '/group/*rest'],
    status: 404,
    type: 'InvalidRequestException',
    message: 'Users and groups come from the users file (USERS_FILE), not from the API; a user reads their own profile at GET /user/{id}/profile',
  },
  {
    paths: ['/task/:id/variables', '/task/:id/variables/*rest', '/task/:id/localVariables', '/task/:id/localVariables/*rest', '/variable-instance', '/variable-instance/*rest', '/execution', '/execution/*rest'],
    status: 404,
    type: 'InvalidRequestException',
    message: "A case's data changes only through the forms of its steps (POST /task/{id}/submit-form) and is read through GET /task/{id}/form-variables and /process-instance/{id}/variables",
  },
  { paths: ['/task/create', '/task/:id/identity-links', '/task/:id/identity-links/delete'], methods: ['POST'], status: 404, type: 'InvalidRequestException', message: 'Tasks and their candidate groups come from the diagram: they are not created or changed through the API' },
  { paths: ['/task/:id'], methods: ['PUT', 'DELETE'], status: 404, type: 'InvalidRequestException', message: "A task comes from the diagram and its due date from the reglament's time limit: it is not changed or deleted through the API" },
  { paths: ['/signal', '/condition'], status: 404, type: 'InvalidRequestException', message: 'The reglaments have no signal or conditional start events' },
  { paths: ['/telemetry', '/telemetry/*rest', '/metrics', '/metrics/*rest', '/schema/log'], status: 404, type: 'InvalidRequestException', message: 'Not part of this server: its metrics are at /metrics (Prometheus), see docs/operations.md' },
  { paths: ['/deployment/:id'], methods: ['DELETE'], status: 403, type: 'AuthorizationException', message: 'Deployments are never deleted: the cases started on a version keep it, and the record of what applied stays' },
];

export function engineUnsupportedRoutes(): Router {
  const router = express.Router();
  for (const entry of UNSUPPORTED) {
    for (const path of entry.paths) {
      router.all(path, (req, _res, next) => {
        if (entry.methods && !entry.methods.includes(req.method)) return next();
        next(new CamundaError(entry.status, entry.type, `${entry.message} (${req.method} ${req.baseUrl}${req.path})`));
      });
    }
  }
  return router;
}
