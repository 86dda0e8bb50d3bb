/** The machine-readable contract of /api, served at /api/openapi.json. Keep it next to the routes. */

const error = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: error } } });
const json = (schema: unknown, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const q = (name: string, schema: Record<string, unknown>, description: string) => ({ name, in: 'query', required: false, schema, description });
const path = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });
const paging = [
  q('firstResult', { type: 'integer', minimum: 0, default: 0 }, 'Index of the first item'),
  q('maxResults', { type: 'integer', minimum: 1, maximum: 1000, default: 50 }, 'Page size'),
];
const standardErrors = {
  '400': errorResponse('Invalid input; details name the field'),
  '401': errorResponse('Missing or invalid bearer token'),
  '403': errorResponse('The user is not in a group allowed to do this'),
  '404': errorResponse('Unknown id or key'),
};

export function openApiDocument() {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Reglament workflow server API',
      version: '0.1.0',
      description:
        'Deploy BPMN reglaments, start instances, and work on user tasks. Authenticate with "Authorization: Bearer <token>". Errors are { error: { code, message, details } }.',
    },
    servers: [{ url: '/api' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
            },
          },
        },
        ProcessDefinition: {
          type: 'object',
          properties: {
            id: { type: 'string', example: 'cotton-warehouse-license:1' },
            key: { type: 'string' },
            version: { type: 'integer' },
            name: { type: 'string', nullable: true },
            resourceName: { type: 'string' },
            deploymentId: { type: 'string' },
            deployedAt: { type: 'string', format: 'date-time' },
            startable: { type: 'boolean', description: 'Whether the caller may start it (candidate starters of the diagram, or admin; never a flow with isStartableInTasklist="false")' },
            startRefusal: { type: 'object', properties: { code: { type: 'string', enum: ['NOT_STARTABLE', 'NOT_A_STARTER'] }, message: { type: 'string' } }, description: 'When not startable: the 403 a start would get' },
          },
        },
        Activity: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, type: { type: 'string' } } },
        ProcessInstance: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            processDefinitionKey: { type: 'string' },
            processDefinitionId: { type: 'string' },
            version: { type: 'integer' },
            businessKey: { type: 'string', nullable: true },
            state: { type: 'string', enum: ['running', 'completed', 'failed', 'terminated'] },
            variables: { type: 'object', additionalProperties: true },
            activeActivities: { type: 'array', items: { $ref: '#/components/schemas/Activity' } },
            startedAt: { type: 'string', format: 'date-time' },
            endedAt: { type: 'string', format: 'date-time', nullable: true },
            outcome: { type: 'string', description: 'Id of the end event reached' },
            parentInstanceId: { type: 'string', description: 'Set on instances started by a call activity' },
          },
        },
        HistoryEntry: {
          type: 'object',
          properties: {
            at: { type: 'string', format: 'date-time' },
            type: {
              type: 'string',
              description:
                'instance-started, activity-end, flow-taken, service-completed, business-error, task-created, task-claimed, task-unclaimed, task-completed, task-cancelled, call-started, call-completed, instance-completed',
            },
            activityId: { type: 'string' },
            activityName: { type: 'string' },
            user: { type: 'string' },
            data: {},
          },
        },
        Task: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            name: { type: 'string', nullable: true },
            taskDefinitionKey: { type: 'string' },
            processInstanceId: { type: 'string' },
            processDefinitionKey: { type: 'string' },
            processDefinitionId: { type: 'string' },
            businessKey: { type: 'string', nullable: true },
            candidateGroups: { type: 'array', items: { type: 'string' } },
            assignee: { type: 'string', nullable: true },
            created: { type: 'string', format: 'date-time' },
            due: { type: 'string', format: 'date-time', nullable: true },
            overdue: { type: 'boolean' },
            timeLimit: { type: 'string', nullable: true, example: '1 working day' },
            priority: { type: 'integer' },
            state: { type: 'string', enum: ['open', 'completed', 'cancelled'] },
          },
        },
        FormField: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            label: { type: 'string' },
            type: { type: 'string', enum: ['string', 'long', 'boolean', 'date', 'enum'] },
            required: { type: 'boolean' },
            pattern: { type: 'string' },
            values: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } } },
          },
        },
        DeploymentResult: {
          type: 'object',
          properties: {
            id: { type: 'string', nullable: true, description: 'null when every resource was unchanged' },
            name: { type: 'string' },
            deployedAt: { type: 'string', format: 'date-time' },
            definitions: {
              type: 'array',
              items: {
                type: 'object',
                properties: { id: { type: 'string' }, key: { type: 'string' }, version: { type: 'integer' }, name: { type: 'string', nullable: true }, resourceName: { type: 'string' }, created: { type: 'boolean' } },
              },
            },
          },
        },
      },
    },
    paths: {
      '/health': { get: { summary: 'Liveness and database check', security: [], responses: { '200': json({ type: 'object', properties: { status: { type: 'string' }, time: { type: 'string' } } }) } } },
      '/openapi.json': { get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3 document' } } } },
      '/process-definitions': {
        get: {
          summary: 'Deployed process definitions (latest versions unless all=true)',
          parameters: [q('all', { type: 'boolean' }, 'Every version, not only the latest')],
          responses: { '200': json({ type: 'array', items: { $ref: '#/components/schemas/ProcessDefinition' } }), '401': standardErrors['401'] },
        },
      },
      '/process-definitions/{key}': {
        get: { summary: 'Latest version of one definition', parameters: [path('key', 'Process key')], responses: { '200': json({ $ref: '#/components/schemas/ProcessDefinition' }), ...standardErrors } },
      },
      '/me': {
        get: {
          summary: 'The user the bearer token belongs to (the web app signs in with it)',
          responses: { '200': json({ type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, groups: { type: 'array', items: { type: 'string' } } } }), ...standardErrors },
        },
      },
      '/process-definitions/{key}/xml': {
        get: {
          summary: 'BPMN source of the latest or a given version',
          parameters: [path('key', 'Process key'), q('version', { type: 'integer' }, 'Version (default latest)')],
          responses: { '200': { description: 'BPMN XML', content: { 'application/xml': {} } }, ...standardErrors },
        },
      },
      '/process-definitions/{key}/start': {
        post: {
          summary: 'Start an instance of the latest version',
          description:
            'With an Idempotency-Key header the instance id is derived from the key: a repeated request of the same user with the same business key answers 200 with the instance the first one started (header Idempotent-Replayed: true), also after a server crash; the key used by another user or for another business key is a 409.',
          parameters: [path('key', 'Process key'), { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' }, description: 'A client-chosen key (a UUID, say) naming this one start request' }],
          requestBody: {
            content: { 'application/json': { schema: { type: 'object', properties: { businessKey: { type: 'string' }, variables: { type: 'object', additionalProperties: true } } } } },
          },
          responses: {
            '201': json({ type: 'object', properties: { id: { type: 'string' }, processDefinitionKey: { type: 'string' }, version: { type: 'integer' }, state: { type: 'string' } } }, 'Started'),
            '200': json({ type: 'object', properties: { id: { type: 'string' }, processDefinitionKey: { type: 'string' }, version: { type: 'integer' }, state: { type: 'string' } } }, 'A repeated request (same Idempotency-Key): the instance the first one started'),
            ...standardErrors,
            '403': errorResponse('NOT_STARTABLE: the process is started only by call activities (isStartableInTasklist="false"), for every user; NOT_A_STARTER: the user is neither in its candidateStarterGroups / candidateStarterUsers nor an admin. Nothing is stored'),
            '502': errorResponse('A service handler failed; nothing was stored'),
          },
        },
      },
      '/process-instances': {
        get: {
          summary: 'Instances (admins: all; others: those with a task of their groups)',
          parameters: [q('processDefinitionKey', { type: 'string' }, ''), q('state', { type: 'string' }, ''), q('businessKey', { type: 'string' }, ''), ...paging],
          responses: { '200': json({ type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/ProcessInstance' } }, total: { type: 'integer' } } }), ...standardErrors },
        },
      },
      '/process-instances/{id}': { get: { summary: 'One instance', parameters: [path('id', 'Instance id')], responses: { '200': json({ $ref: '#/components/schemas/ProcessInstance' }), ...standardErrors } } },
      '/process-instances/{id}/history': {
        get: { summary: 'Append-only history of an instance', parameters: [path('id', 'Instance id')], responses: { '200': json({ type: 'array', items: { $ref: '#/components/schemas/HistoryEntry' } }), ...standardErrors } },
      },
      '/tasks': {
        get: {
          summary: "Open tasks of the caller's groups (admins: all)",
          parameters: [
            q('candidateGroup', { type: 'string' }, ''),
            q('assignee', { type: 'string' }, ''),
            q('unassigned', { type: 'boolean' }, ''),
            q('processDefinitionKey', { type: 'string' }, ''),
            q('processInstanceId', { type: 'string' }, ''),
            q('businessKey', { type: 'string' }, ''),
            q('dueBefore', { type: 'string', format: 'date-time' }, ''),
            q('overdue', { type: 'boolean' }, ''),
            q('state', { type: 'string', enum: ['open', 'completed', 'cancelled', 'all'], default: 'open' }, ''),
            q('sortBy', { type: 'string', enum: ['due', 'created', 'priority', 'name'], default: 'created' }, ''),
            q('sortOrder', { type: 'string', enum: ['asc', 'desc'], default: 'asc' }, ''),
            ...paging,
          ],
          responses: { '200': json({ type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Task' } }, total: { type: 'integer' } } }), ...standardErrors },
        },
      },
      '/tasks/{id}': {
        get: {
          summary: 'One task with the variables it may see and its form fields',
          parameters: [path('id', 'Task id')],
          responses: {
            '200': json({ allOf: [{ $ref: '#/components/schemas/Task' }, { type: 'object', properties: { variables: { type: 'object' }, formFields: { type: 'array', items: { $ref: '#/components/schemas/FormField' } }, documentation: { type: 'string' } } }] }),
            ...standardErrors,
          },
        },
      },
      '/tasks/{id}/claim': { post: { summary: 'Claim a task', parameters: [path('id', 'Task id')], responses: { '200': json({ type: 'object' }), ...standardErrors, '409': errorResponse('Claimed by someone else or no longer open') } } },
      '/tasks/{id}/unclaim': { post: { summary: 'Give a claimed task back', parameters: [path('id', 'Task id')], responses: { '200': json({ type: 'object' }), ...standardErrors, '409': errorResponse('Claimed by someone else or no longer open') } } },
      '/tasks/{id}/complete': {
        post: {
          summary: 'Complete a task with variables (validated against its form fields)',
          parameters: [path('id', 'Task id')],
          requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { variables: { type: 'object', additionalProperties: true } } } } } },
          responses: {
            '200': json({ type: 'object', properties: { id: { type: 'string' }, state: { type: 'string' }, processInstanceState: { type: 'string' }, outcome: { type: 'string' } } }),
            ...standardErrors,
            '409': errorResponse('Already completed, or claimed by someone else'),
            '502': errorResponse('A service handler failed; nothing was stored'),
          },
        },
      },
      '/deployments': {
        post: {
          summary: 'Deploy BPMN resources (admin). Unchanged content creates no new version.',
          requestBody: {
            content: {
              'application/json': { schema: { type: 'object', required: ['resources'], properties: { name: { type: 'string' }, resources: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, source: { type: 'string' } } } } } } },
              'application/xml': { schema: { type: 'string' } },
            },
          },
          responses: {
            '201': json({ $ref: '#/components/schemas/DeploymentResult' }, 'Deployed'),
            '200': json({ $ref: '#/components/schemas/DeploymentResult' }, 'Nothing changed'),
            ...standardErrors,
            '422': errorResponse('Invalid diagram(s): details.problems lists { file, elementId, rule, message }'),
          },
        },
      },
      '/process-instances/{id}/retry': {
        post: { summary: 'Run the failed service task of an instance with an open incident again (admin)', parameters: [path('id', 'Instance id')], responses: { '200': json({ type: 'object', properties: { resolved: { type: 'boolean' }, incidents: { type: 'array', items: { type: 'object' } }, instance: { $ref: '#/components/schemas/ProcessInstance' } } }), ...standardErrors, '409': errorResponse('No open incident') } },
      },
      '/incidents': { get: { summary: 'Incidents (admin); open ones unless open=false', responses: { '200': json({ type: 'array', items: { type: 'object' } }), ...standardErrors } } },
      '/timers': { get: { summary: "The host's timers (admin); filters processInstanceId, kind (event | task-due), state", responses: { '200': json({ type: 'array', items: { type: 'object' } }), ...standardErrors } } },
      '/timers/fire-due': { post: { summary: 'Fire the due timers now (admin)', responses: { '200': json({ type: 'object', properties: { fired: { type: 'array', items: { type: 'string' } }, failed: { type: 'array', items: { type: 'object' } } } }), ...standardErrors } } },
      '/notifications': { get: { summary: "Notifications of the caller's groups (overdue tasks escalated); unread=true", responses: { '200': json({ type: 'object', properties: { items: { type: 'array', items: { type: 'object' } }, total: { type: 'integer' } } }), ...standardErrors } } },
      '/notifications/{id}/read': { post: { summary: 'Mark a notification read', parameters: [path('id', 'Notification id')], responses: { '200': json({ type: 'object' }), ...standardErrors } } },
      '/reports/sla': { get: { summary: 'Compliance with the legal time limits per reglament and step (heads, admins); processDefinitionKey, from, to', responses: { '200': json({ type: 'object' }), ...standardErrors } } },
    },
  };
}
