/**
 * The OpenAPI 3.1 document of /engine-rest, the Camunda 7.24 dialect (docs/camunda-7.md). The
 * dialect's routes are plain express routes with Camunda's shapes, not /api's route table, so this
 * document is kept by hand here: test/integration/engine-rest-openapi.test.ts holds it against
 * what the router serves (every served route described, every described route served), so a route
 * added without its entry fails there.
 */
import { Router } from 'express';
import { openApiPath } from '../openapi';

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const arrayOf = (name: string): Json => ({ type: 'array', items: ref(name) });
const str = (description?: string): Json => ({ type: 'string', ...(description ? { description } : {}) });
const nullableStr = (description?: string): Json => ({ type: ['string', 'null'], ...(description ? { description } : {}) });
const date = (description?: string): Json => ({ type: ['string', 'null'], description: `${description ? `${description}; ` : ''}Camunda's date format yyyy-MM-dd'T'HH:mm:ss.SSSZ` });
const obj = (properties: Record<string, Json>, required: string[] = Object.keys(properties)): Json => ({ type: 'object', properties, required });

/** The shapes answered and read; Camunda's names (TaskDto, CommentDto, ...) without the Dto. */
const SCHEMAS: Record<string, Json> = {
  CamundaError: obj({ type: str('Camunda exception type: InvalidRequestException, AuthorizationException, AuthenticationException, TaskAlreadyClaimedException, ProcessEngineException, ParseException, NotFoundException, RestException'), message: str() }, ['type', 'message']),
  Link: obj({ method: str(), href: str(), rel: str() }),
  Count: obj({ count: { type: 'integer', minimum: 0 } }),
  Version: obj({ version: str('7.24.0') }),
  VariableValue: { type: 'object', properties: { value: {}, type: str('String, Boolean, Integer, Long, Double, Date, Json, Null'), valueInfo: { type: 'object' } }, required: ['value'] },
  Variables: { type: 'object', additionalProperties: ref('VariableValue'), description: 'Camunda-typed variables by name' },
  Credentials: obj({ username: str('The user id'), password: str("The user's API token") }),
  AuthenticationResult: obj({ authenticatedUser: nullableStr(), authenticated: { type: 'boolean' }, groups: { type: ['array', 'null'], items: str() }, tenants: { type: ['array', 'null'], items: str() } }),
  UserProfile: obj({ id: str(), firstName: nullableStr('The display name of the users file'), lastName: { type: 'null' }, email: { type: 'null' } }),
  GroupInfo: obj({ groups: { type: 'array', items: obj({ id: str(), name: str() }) }, groupUsers: { type: 'array', items: obj({ id: str(), firstName: nullableStr(), lastName: { type: 'null' }, displayName: nullableStr() }) } }),
  Deployment: obj({ links: arrayOf('Link'), id: str(), name: nullableStr(), source: nullableStr(), deploymentTime: date(), tenantId: { type: 'null' } }),
  DeploymentWithDefinitions: {
    allOf: [ref('Deployment'), obj({ deployedProcessDefinitions: { type: ['object', 'null'], additionalProperties: ref('ProcessDefinition') }, deployedCaseDefinitions: { type: 'null' }, deployedDecisionDefinitions: { type: 'null' }, deployedDecisionRequirementsDefinitions: { type: 'null' } })],
  },
  ProcessDefinition: {
    type: 'object',
    properties: { id: str('key:version'), key: str(), category: str(), description: nullableStr(), name: nullableStr(), version: { type: 'integer' }, resource: nullableStr(), deploymentId: nullableStr(), diagram: { type: 'null' }, suspended: { type: 'boolean' }, tenantId: { type: 'null' }, versionTag: nullableStr(), historyTimeToLive: { type: ['integer', 'null'] }, startableInTasklist: { type: 'boolean' } },
    required: ['id', 'key', 'version'],
  },
  ProcessInstance: { type: 'object', properties: { links: arrayOf('Link'), id: str(), definitionId: str(), businessKey: nullableStr(), caseInstanceId: { type: 'null' }, ended: { type: 'boolean' }, suspended: { type: 'boolean' }, tenantId: { type: 'null' } }, required: ['id', 'definitionId', 'ended'] },
  HistoricProcessInstance: {
    type: 'object',
    properties: {
      id: str(), rootProcessInstanceId: str(), superProcessInstanceId: nullableStr(), processDefinitionName: nullableStr(), processDefinitionKey: str(), processDefinitionVersion: { type: 'integer' }, processDefinitionId: str(), businessKey: nullableStr(),
      startTime: date(), endTime: date(), durationInMillis: { type: ['integer', 'null'] }, startUserId: nullableStr(), startActivityId: nullableStr(), deleteReason: nullableStr(), tenantId: { type: 'null' }, state: { type: 'string', enum: ['ACTIVE', 'COMPLETED'] },
    },
    required: ['id', 'processDefinitionId', 'businessKey', 'startTime', 'state'],
  },
  HistoricActivityInstance: {
    type: 'object',
    properties: {
      id: str(), parentActivityInstanceId: nullableStr(), activityId: str(), activityName: nullableStr(), activityType: str(), processDefinitionKey: str(), processDefinitionId: str(), processInstanceId: str(), executionId: nullableStr(), taskId: nullableStr(), assignee: nullableStr(),
      calledProcessInstanceId: nullableStr(), startTime: date(), endTime: date(), durationInMillis: { type: ['integer', 'null'] }, canceled: { type: 'boolean' }, completeScope: { type: 'boolean' }, rootProcessInstanceId: str(),
    },
    required: ['id', 'activityId', 'activityType', 'processInstanceId', 'startTime', 'canceled'],
  },
  HistoricTask: {
    type: 'object',
    properties: {
      id: str(), processDefinitionKey: str(), processDefinitionId: str(), processInstanceId: str(), executionId: str(), activityInstanceId: nullableStr(), name: nullableStr(), description: nullableStr(), deleteReason: nullableStr(), owner: nullableStr(), assignee: nullableStr(),
      startTime: date(), endTime: date(), duration: { type: ['integer', 'null'] }, taskDefinitionKey: str(), priority: { type: 'integer' }, due: date(), followUp: { type: 'null' }, rootProcessInstanceId: str(), taskState: { type: 'string', enum: ['Created', 'Completed', 'Deleted'] },
    },
    required: ['id', 'processInstanceId', 'taskDefinitionKey', 'startTime'],
  },
  HistoricVariableInstance: {
    type: 'object',
    properties: { id: str(), name: str(), type: str(), value: {}, valueInfo: { type: 'object' }, processDefinitionKey: str(), processDefinitionId: str(), processInstanceId: str(), executionId: str(), activityInstanceId: str(), taskId: { type: 'null' }, errorMessage: { type: 'null' }, state: { const: 'CREATED' }, createTime: date(), rootProcessInstanceId: str() },
    required: ['id', 'name', 'type', 'value', 'processInstanceId'],
  },
  HistoricIncident: {
    type: 'object',
    properties: {
      id: str(), processDefinitionKey: str(), processDefinitionId: str(), processInstanceId: str(), executionId: str(), rootProcessInstanceId: str(), createTime: date(), endTime: date(), incidentType: { const: 'failedJob' }, activityId: str(), failedActivityId: str(),
      causeIncidentId: str(), rootCauseIncidentId: str(), configuration: nullableStr(), incidentMessage: nullableStr(), open: { type: 'boolean' }, deleted: { type: 'boolean' }, resolved: { type: 'boolean' }, annotation: { type: 'null' },
    },
    required: ['id', 'processInstanceId', 'activityId', 'createTime', 'open'],
  },
  UserOperation: {
    type: 'object',
    properties: {
      id: str(), userId: nullableStr(), timestamp: date(), operationId: str(), operationType: str(), entityType: str(), category: str(), annotation: { type: 'null' }, property: nullableStr(), orgValue: nullableStr(), newValue: nullableStr(),
      processDefinitionId: nullableStr(), processDefinitionKey: nullableStr(), processInstanceId: nullableStr(), executionId: nullableStr(), taskId: nullableStr(), rootProcessInstanceId: nullableStr(),
    },
    required: ['id', 'timestamp', 'operationType', 'entityType'],
  },
  Incident: {
    type: 'object',
    properties: {
      id: str(), processDefinitionId: str(), processInstanceId: str(), executionId: str(), incidentTimestamp: date(), incidentType: { const: 'failedJob' }, activityId: str(), failedActivityId: str(), causeIncidentId: str(), rootCauseIncidentId: str(),
      configuration: nullableStr(), incidentMessage: nullableStr(), tenantId: { type: 'null' }, jobDefinitionId: { type: 'null' }, annotation: { type: 'null' },
    },
    required: ['id', 'processDefinitionId', 'processInstanceId', 'incidentTimestamp', 'incidentType', 'activityId', 'incidentMessage'],
  },
  MessageCorrelation: { type: 'object', properties: { messageName: str(), businessKey: nullableStr(), processInstanceId: nullableStr(), correlationKeys: { type: 'object' }, processVariables: ref('Variables'), all: { type: 'boolean' }, resultEnabled: { type: 'boolean' } }, required: ['messageName'] },
  HistoryQuery: { type: 'object', description: "The query parameters of the matching GET as a JSON body (Camunda's POST query), with `sorting` as an array of { sortBy, sortOrder }" },
  ProcessDefinitionXml: obj({ id: str(), bpmn20Xml: str() }),
  StartFormKey: obj({ key: { type: 'null', description: 'Generated forms' }, camundaFormRef: { type: 'null' }, contextPath: { type: 'null' } }),
  IncidentCount: obj({ incidentType: str(), incidentCount: { type: 'integer' } }),
  DefinitionStatistics: obj({ id: str(), instances: { type: 'integer' }, failedJobs: { type: 'integer' }, incidents: arrayOf('IncidentCount'), definition: ref('ProcessDefinition') }),
  ActivityStatistics: obj({ id: str('Activity id'), instances: { type: 'integer' }, failedJobs: { type: 'integer' }, incidents: arrayOf('IncidentCount') }),
  RuntimeProcessInstance: { type: 'object', properties: { links: arrayOf('Link'), id: str(), definitionId: str(), definitionKey: str(), businessKey: nullableStr(), caseInstanceId: { type: 'null' }, ended: { type: 'boolean' }, suspended: { type: 'boolean' }, tenantId: { type: 'null' } }, required: ['id', 'definitionId', 'businessKey', 'ended'] },
  ProcessInstanceQuery: {
    type: 'object',
    description: "Camunda's process instance query: processInstanceIds, processDefinitionId, processDefinitionKey, processDefinitionKeyIn, businessKey, businessKeyLike, superProcessInstance, subProcessInstance, rootProcessInstances, activityIdIn, active, suspended, sorting; variables and tenants are refused with the reason",
  },
  ActivityInstance: {
    type: 'object',
    properties: {
      id: str(), parentActivityInstanceId: nullableStr('null for the process instance itself'), activityId: str(), activityType: str(), activityName: nullableStr(), processInstanceId: str(), processDefinitionId: str(),
      childActivityInstances: arrayOf('ActivityInstance'), childTransitionInstances: { type: 'array' }, executionIds: { type: 'array', items: str() }, incidentIds: { type: 'array', items: str() },
    },
    required: ['id', 'parentActivityInstanceId', 'activityId', 'activityType', 'childActivityInstances'],
  },
  StartBody: { type: 'object', properties: { businessKey: nullableStr(), variables: ref('Variables') } },
  Task: {
    type: 'object',
    properties: {
      id: str(), name: nullableStr(), assignee: nullableStr(), owner: nullableStr(), created: date(), lastUpdated: date(), due: date(), followUp: date(), delegationState: { type: ['string', 'null'], enum: ['PENDING', 'RESOLVED', null] }, description: nullableStr("The user task's documentation"),
      executionId: str(), parentTaskId: { type: 'null' }, priority: { type: 'integer' }, processDefinitionId: str(), processInstanceId: str(), taskDefinitionKey: str(), caseExecutionId: { type: 'null' }, caseInstanceId: { type: 'null' }, caseDefinitionId: { type: 'null' },
      suspended: { type: 'boolean' }, formKey: { type: 'null', description: 'Generated forms: read GET /task/{id}/rendered-form and /form-variables' }, camundaFormRef: { type: 'null' }, tenantId: { type: 'null' },
    },
    required: ['id', 'name', 'assignee', 'created', 'due', 'processDefinitionId', 'processInstanceId', 'taskDefinitionKey', 'formKey'],
  },
  TaskQuery: {
    type: 'object',
    description: 'The part of Camunda\'s task query this server reads; other properties are ignored, as Camunda ignores unknown ones',
    properties: {
      candidateGroup: str(), candidateGroups: { type: 'array', items: str() }, assignee: str(), unassigned: { type: 'boolean' }, processDefinitionKey: str(), processInstanceId: str(), processInstanceBusinessKey: str(), dueBefore: str(), dueAfter: str(), nameLike: str('With % wildcards'),
      sorting: { type: 'array', items: obj({ sortBy: { type: 'string', enum: ['dueDate', 'created', 'priority', 'name', 'nameCaseInsensitive'] }, sortOrder: { type: 'string', enum: ['asc', 'desc'] } }) },
    },
  },
  UserIdBody: { type: 'object', properties: { userId: nullableStr() } },
  CompleteBody: { type: 'object', properties: { variables: ref('Variables'), withVariablesInReturn: { type: 'boolean' } } },
  IdentityLink: obj({ userId: nullableStr(), groupId: nullableStr(), type: { type: 'string', enum: ['assignee', 'owner', 'candidate'] } }),
  Filter: { type: 'object', properties: { id: str(), resourceType: { const: 'Task' }, name: str(), owner: str(), query: ref('TaskQuery'), properties: { type: 'object' }, itemCount: { type: 'integer' } }, required: ['id', 'resourceType', 'name', 'owner', 'query', 'properties'] },
  NewFilter: { type: 'object', properties: { resourceType: { const: 'Task' }, name: str(), owner: str(), query: ref('TaskQuery'), properties: { type: 'object' } }, required: ['resourceType', 'name'] },
  Comment: obj({ links: arrayOf('Link'), id: str(), userId: str(), time: date(), taskId: nullableStr(), message: str(), removalTime: { type: 'null' }, rootProcessInstanceId: str(), processInstanceId: str() }),
  NewComment: { type: 'object', properties: { message: { type: 'string', minLength: 1, maxLength: 4000 }, processInstanceId: nullableStr('If given, the task\'s instance') }, required: ['message'] },
  Attachment: obj({ links: arrayOf('Link'), id: str(), name: str(), description: { type: 'null' }, taskId: str(), type: str('The media type, checked against the content'), url: { type: 'null' }, createTime: date(), removalTime: { type: 'null' }, rootProcessInstanceId: str() }),
  NewAttachment: {
    type: 'object',
    properties: {
      'attachment-name': str(),
      'attachment-type': str('The media type; must be what the content is (PDF, JPEG, PNG or TIFF)'),
      'attachment-description': str('Must be empty: descriptions are not kept'),
      content: { type: 'string', format: 'binary', description: 'The document, at most ATTACHMENT_MAX_BYTES' },
    },
    required: ['content'],
  },
  ExternalTask: {
    type: 'object',
    properties: {
      activityId: str(), activityInstanceId: str(), errorMessage: nullableStr(), executionId: str(), id: str(), lockExpirationTime: date(), createTime: date(), processDefinitionId: str(), processDefinitionKey: str(), processDefinitionVersionTag: { type: 'null' },
      processInstanceId: str(), tenantId: { type: 'null' }, retries: { type: ['integer', 'null'] }, suspended: { type: 'boolean' }, workerId: nullableStr(), topicName: str(), priority: { type: 'integer' }, businessKey: nullableStr(),
    },
    required: ['id', 'topicName', 'processInstanceId', 'activityId'],
  },
  LockedExternalTask: { allOf: [ref('ExternalTask'), obj({ errorDetails: nullableStr(), variables: ref('Variables'), extensionProperties: { type: 'object', additionalProperties: str() } })] },
  FetchAndLock: {
    type: 'object',
    properties: {
      workerId: str(), maxTasks: { type: 'integer', minimum: 0, maximum: 1000 }, usePriority: { type: 'boolean' }, asyncResponseTimeout: { type: ['integer', 'null'], maximum: 1800000, description: 'Long polling: wait up to this many milliseconds for a task' },
      topics: { type: 'array', items: { type: 'object', properties: { topicName: str(), lockDuration: { type: 'integer', exclusiveMinimum: 0 }, variables: { type: ['array', 'null'], items: str() }, businessKey: str(), processDefinitionKey: str(), processDefinitionKeyIn: { type: 'array', items: str() }, processDefinitionId: str(), processDefinitionIdIn: { type: 'array', items: str() }, includeExtensionProperties: { type: 'boolean' } }, required: ['topicName', 'lockDuration'] } },
    },
    required: ['workerId', 'maxTasks'],
  },
  ExternalTaskComplete: { type: 'object', properties: { workerId: str(), variables: ref('Variables') }, required: ['workerId'] },
  ExternalTaskFailure: { type: 'object', properties: { workerId: str(), errorMessage: nullableStr(), errorDetails: nullableStr(), retries: { type: 'integer', minimum: 0, description: '0: an incident' }, retryTimeout: { type: 'integer', minimum: 0 } }, required: ['workerId'] },
  ExternalTaskBpmnError: { type: 'object', properties: { workerId: str(), errorCode: str(), errorMessage: nullableStr(), variables: ref('Variables') }, required: ['workerId', 'errorCode'] },
  ExternalTaskExtendLock: { type: 'object', properties: { workerId: str(), newDuration: { type: 'integer', exclusiveMinimum: 0 } }, required: ['workerId', 'newDuration'] },
  ExternalTaskLock: { type: 'object', properties: { workerId: str(), lockDuration: { type: 'integer', exclusiveMinimum: 0 } }, required: ['workerId', 'lockDuration'] },
  DeploymentCreate: {
    type: 'object',
    properties: { 'deployment-name': str(), 'deployment-source': str(), 'enable-duplicate-filtering': str(), 'deploy-changed-only': str(), 'tenant-id': str('Refused: no tenants'), data: { type: 'string', format: 'binary', description: 'One part per BPMN resource (any part name)' } },
  },
};

interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  tag: string;
  summary: string;
  /** Query parameters by name with their description. */
  query?: Record<string, string>;
  /** A JSON body of this schema, or multipart of this schema. */
  body?: string;
  multipart?: boolean;
  /** No credentials. */
  public?: boolean;
  /** The success answer: a schema (JSON), `[Name]` for an array, `204`, or another media type. */
  ok: { status: number; schema?: string; array?: boolean; mediaType?: string; description?: string };
  /** Error answers beyond 400/401/403/404 (always possible). */
  errors?: Record<number, string>;
}

const paging = { firstResult: 'Index of the first result', maxResults: 'Page size (at most 1000)' };
const taskQueryParams = { candidateGroup: '', candidateGroups: 'Comma-separated', assignee: '', unassigned: 'true: only unassigned', processDefinitionKey: '', processInstanceId: '', processInstanceBusinessKey: '', dueBefore: '', dueAfter: '', nameLike: 'With % wildcards', sortBy: 'dueDate, created, priority, name, nameCaseInsensitive', sortOrder: 'asc or desc', ...paging };
const recordStays = { 403: 'Refused: part of the case record, never changed or deleted' };

const OPERATIONS: Operation[] = [
  { method: 'get', path: '/version', tag: 'Engine', summary: 'The Camunda version this dialect follows', public: true, ok: { status: 200, schema: 'Version' } },
  { method: 'get', path: '/openapi.json', tag: 'Engine', summary: 'This document', public: true, ok: { status: 200, description: 'OpenAPI 3.1' } },

  { method: 'post', path: '/identity/verify', tag: 'Identity', summary: 'Checks a user id and token (no credentials needed); a wrong one counts as a failed sign-in', public: true, body: 'Credentials', ok: { status: 200, schema: 'AuthenticationResult' }, errors: { 429: 'Too many failed sign-ins from this client (Retry-After)' } },
  { method: 'get', path: '/identity/groups', tag: 'Identity', summary: "The caller's groups and their fellow members", query: { userId: "The caller's id" }, ok: { status: 200, schema: 'GroupInfo' } },
  { method: 'get', path: '/user/{id}/profile', tag: 'Identity', summary: "The caller's own profile", ok: { status: 200, schema: 'UserProfile' } },

  { method: 'get', path: '/deployment', tag: 'Deployment', summary: 'Deployments (Camunda Modeler checks the connection with maxResults=0)', query: { name: '', source: '', ...paging }, ok: { status: 200, schema: 'Deployment', array: true } },
  { method: 'get', path: '/deployment/count', tag: 'Deployment', summary: 'Number of deployments', ok: { status: 200, schema: 'Count' } },
  { method: 'get', path: '/deployment/{id}', tag: 'Deployment', summary: 'One deployment', ok: { status: 200, schema: 'Deployment' } },
  { method: 'post', path: '/deployment/create', tag: 'Deployment', summary: 'Deploys BPMN resources (groups admin or deployer); an unchanged resource makes no new version', body: 'DeploymentCreate', multipart: true, ok: { status: 200, schema: 'DeploymentWithDefinitions' }, errors: { 400: 'ParseException: the diagram is refused, every problem listed', 413: 'Too large' } },

  { method: 'get', path: '/process-definition', tag: 'Process definition', summary: 'Deployed process definitions', query: { processDefinitionId: '', processDefinitionIdIn: '', key: '', keysIn: '', keyLike: '', name: '', nameLike: '', deploymentId: '', resourceName: '', resourceNameLike: '', version: '', latestVersion: 'true: only the latest version of each key', startableInTasklist: '', notStartableInTasklist: '', startablePermissionCheck: 'true: only what the caller may start', suspended: 'true: none', sortBy: 'id, key, name, version, deploymentId, deployTime', sortOrder: '', firstResult: '', maxResults: '' }, ok: { status: 200, schema: 'ProcessDefinition', array: true } },
  { method: 'get', path: '/process-definition/key/{key}', tag: 'Process definition', summary: 'The latest version of a key', ok: { status: 200, schema: 'ProcessDefinition' } },
  { method: 'get', path: '/process-definition/{id}', tag: 'Process definition', summary: 'One version', ok: { status: 200, schema: 'ProcessDefinition' } },
  { method: 'post', path: '/process-definition/key/{key}/start', tag: 'Process definition', summary: 'Starts an instance on the version in force (only declared start form fields, only by its starter groups)', body: 'StartBody', ok: { status: 200, schema: 'ProcessInstance' } },
  { method: 'post', path: '/process-definition/{id}/start', tag: 'Process definition', summary: 'Starts an instance on exactly this version (not one older than the version in force)', body: 'StartBody', ok: { status: 200, schema: 'ProcessInstance' } },
  { method: 'get', path: '/process-definition/count', tag: 'Process definition', summary: 'Number of process definitions by the same query', ok: { status: 200, schema: 'Count' } },
  { method: 'get', path: '/process-definition/statistics', tag: 'Process definition', summary: "Running instances the caller may see per definition, with incidents (as failed jobs)", query: { failedJobs: '', incidents: '', incidentsForType: '', rootIncidents: '' }, ok: { status: 200, schema: 'DefinitionStatistics', array: true } },
  { method: 'get', path: '/process-definition/{id}/statistics', tag: 'Process definition', summary: 'Running instances and incidents per activity of a version', query: { failedJobs: '', incidents: '', incidentsForType: '', rootIncidents: '' }, ok: { status: 200, schema: 'ActivityStatistics', array: true } },
  { method: 'get', path: '/process-definition/{id}/static-called-process-definitions', tag: 'Process definition', summary: "The flows the version's call activities start (each in the version in force today), with calledFromActivityIds and callingProcessDefinitionId", ok: { status: 200, schema: 'ProcessDefinition', array: true } },
  { method: 'get', path: '/process-definition/{id}/xml', tag: 'Process definition', summary: 'The BPMN XML', ok: { status: 200, schema: 'ProcessDefinitionXml' } },
  { method: 'get', path: '/process-definition/{id}/startForm', tag: 'Form', summary: 'The start form key: null (generated forms)', ok: { status: 200, schema: 'StartFormKey' } },
  { method: 'get', path: '/process-definition/{id}/form-variables', tag: 'Form', summary: "The start form's declared fields, typed, defaults as values", query: { variableNames: 'Comma-separated' }, ok: { status: 200, schema: 'Variables' } },
  { method: 'post', path: '/process-definition/{id}/submit-form', tag: 'Form', summary: 'Starts an instance with the start form: only declared, valid fields, only by a starter', body: 'StartBody', ok: { status: 200, schema: 'ProcessInstance' } },
  { method: 'get', path: '/process-definition/key/{key}/xml', tag: 'Process definition', summary: 'The BPMN XML (the version in force)', ok: { status: 200, schema: 'ProcessDefinitionXml' } },
  { method: 'get', path: '/process-definition/key/{key}/startForm', tag: 'Form', summary: 'The start form key: null (generated forms) (the version in force)', ok: { status: 200, schema: 'StartFormKey' } },
  { method: 'get', path: '/process-definition/key/{key}/form-variables', tag: 'Form', summary: "The start form's declared fields, typed, defaults as values (the version in force)", query: { variableNames: 'Comma-separated' }, ok: { status: 200, schema: 'Variables' } },
  { method: 'post', path: '/process-definition/key/{key}/submit-form', tag: 'Form', summary: 'Starts an instance with the start form: only declared, valid fields, only by a starter (the version in force)', body: 'StartBody', ok: { status: 200, schema: 'ProcessInstance' } },

  { method: 'get', path: '/process-instance', tag: 'Process instance', summary: 'Running instances the caller may see (as the case list of /api)', query: { processInstanceIds: '', processDefinitionId: '', processDefinitionKey: '', processDefinitionKeyIn: '', businessKey: '', businessKeyLike: '', superProcessInstance: '', subProcessInstance: '', rootProcessInstances: '', activityIdIn: '', deploymentId: '', active: '', suspended: '', sortBy: 'instanceId, definitionKey, definitionId, businessKey', sortOrder: '', ...paging }, ok: { status: 200, schema: 'RuntimeProcessInstance', array: true } },
  { method: 'post', path: '/process-instance', tag: 'Process instance', summary: 'Running instances by a query body', query: paging, body: 'ProcessInstanceQuery', ok: { status: 200, schema: 'RuntimeProcessInstance', array: true } },
  { method: 'get', path: '/process-instance/count', tag: 'Process instance', summary: 'Number of running instances by query parameters', ok: { status: 200, schema: 'Count' } },
  { method: 'post', path: '/process-instance/count', tag: 'Process instance', summary: 'Number of running instances by a query body', body: 'ProcessInstanceQuery', ok: { status: 200, schema: 'Count' } },
  { method: 'get', path: '/process-instance/{id}', tag: 'Process instance', summary: 'One running instance (an ended one is history)', ok: { status: 200, schema: 'RuntimeProcessInstance' } },
  { method: 'get', path: '/process-instance/{id}/variables', tag: 'Process instance', summary: "The instance's variables, typed", query: { deserializeValues: 'Ignored: values are plain' }, ok: { status: 200, schema: 'Variables' } },
  { method: 'get', path: '/process-instance/{id}/variables/{name}', tag: 'Process instance', summary: 'One variable, typed', ok: { status: 200, schema: 'VariableValue' } },
  { method: 'post', path: '/process-instance/{id}/variables', tag: 'Process instance', summary: 'Refused: data changes only through the forms of the steps', ok: { status: 403 }, errors: { 403: 'Refused: variables are read only' } },
  { method: 'put', path: '/process-instance/{id}/variables/{name}', tag: 'Process instance', summary: 'Refused: data changes only through the forms of the steps', ok: { status: 403 }, errors: { 403: 'Refused: variables are read only' } },
  { method: 'delete', path: '/process-instance/{id}/variables/{name}', tag: 'Process instance', summary: 'Refused: data changes only through the forms of the steps', ok: { status: 403 }, errors: { 403: 'Refused: variables are read only' } },
  { method: 'post', path: '/process-instance/{id}/variables/{name}/data', tag: 'Process instance', summary: 'Refused: data changes only through the forms of the steps', ok: { status: 403 }, errors: { 403: 'Refused: variables are read only' } },
  { method: 'get', path: '/process-instance/{id}/activity-instances', tag: 'Process instance', summary: 'The tree of active activity instances (diagram markers: parentActivityInstanceId)', ok: { status: 200, schema: 'ActivityInstance' } },
  { method: 'get', path: '/process-definition/{id}/rendered-form', tag: 'Form', summary: "The start form as Camunda's generated XHTML form (cam-variable-name, cam-variable-type), labels in the Accept-Language (kk, ru, en)", ok: { status: 200, mediaType: 'application/xhtml+xml' } },
  { method: 'get', path: '/process-definition/key/{key}/rendered-form', tag: 'Form', summary: 'The start form of the version in force, as XHTML', ok: { status: 200, mediaType: 'application/xhtml+xml' } },

  { method: 'get', path: '/task', tag: 'Task', summary: 'Open tasks of the caller\'s groups', query: taskQueryParams, ok: { status: 200, schema: 'Task', array: true } },
  { method: 'post', path: '/task', tag: 'Task', summary: 'Open tasks by a query body', query: paging, body: 'TaskQuery', ok: { status: 200, schema: 'Task', array: true } },
  { method: 'get', path: '/task/count', tag: 'Task', summary: 'Number of open tasks by query parameters', query: taskQueryParams, ok: { status: 200, schema: 'Count' } },
  { method: 'post', path: '/task/count', tag: 'Task', summary: 'Number of open tasks by a query body', body: 'TaskQuery', ok: { status: 200, schema: 'Count' } },
  { method: 'get', path: '/task/{id}', tag: 'Task', summary: 'One open task', ok: { status: 200, schema: 'Task' } },
  { method: 'post', path: '/task/{id}/claim', tag: 'Task', summary: 'Claims the task (for another user: an assignment, heads and admins only)', body: 'UserIdBody', ok: { status: 204 }, errors: { 500: 'TaskAlreadyClaimedException' } },
  { method: 'post', path: '/task/{id}/unclaim', tag: 'Task', summary: 'Gives the task back to its groups', ok: { status: 204 } },
  { method: 'post', path: '/task/{id}/assignee', tag: 'Task', summary: 'Assigns the task (heads and admins)', body: 'UserIdBody', ok: { status: 204 } },
  { method: 'post', path: '/task/{id}/delegate', tag: 'Task', summary: 'Delegates the task to a colleague', body: 'UserIdBody', ok: { status: 204 } },
  { method: 'post', path: '/task/{id}/resolve', tag: 'Task', summary: 'The delegate hands the task back (no variables)', ok: { status: 204 } },
  { method: 'post', path: '/task/{id}/complete', tag: 'Task', summary: "Completes the task with its form's declared fields only", body: 'CompleteBody', ok: { status: 204, schema: 'Variables', description: '204, or 200 with the instance variables when withVariablesInReturn' }, errors: { 500: 'ProcessEngineException: the task is no longer in that state' } },
  { method: 'post', path: '/task/{id}/submit-form', tag: 'Task', summary: 'Submits the task form (declared fields only) and completes the task', body: 'CompleteBody', ok: { status: 204, schema: 'Variables', description: '204, or 200 with the instance variables when withVariablesInReturn' }, errors: { 500: 'ProcessEngineException' } },
  { method: 'get', path: '/task/{id}/form-variables', tag: 'Form', summary: "The task form's declared fields, typed, with their values or defaults", query: { variableNames: 'Comma-separated' }, ok: { status: 200, schema: 'Variables' } },
  { method: 'get', path: '/task/{id}/rendered-form', tag: 'Form', summary: "The task form as Camunda's generated XHTML form; an empty form for a task without fields", ok: { status: 200, mediaType: 'application/xhtml+xml' } },
  { method: 'get', path: '/task/{id}/identity-links', tag: 'Task', summary: 'Assignee, owner and candidate groups', query: { type: 'assignee, owner or candidate' }, ok: { status: 200, schema: 'IdentityLink', array: true } },

  { method: 'get', path: '/task/{id}/comment', tag: 'Task comment', summary: 'Comments on the task (those who may see its case)', ok: { status: 200, schema: 'Comment', array: true } },
  { method: 'get', path: '/task/{id}/comment/{commentId}', tag: 'Task comment', summary: 'One comment', ok: { status: 200, schema: 'Comment' } },
  { method: 'post', path: '/task/{id}/comment/create', tag: 'Task comment', summary: 'Comments on the task (1 to 4000 characters); not a variable', body: 'NewComment', ok: { status: 200, schema: 'Comment' } },
  { method: 'put', path: '/task/{id}/comment', tag: 'Task comment', summary: 'Refused: comments are never changed', ok: { status: 403 }, errors: recordStays },
  { method: 'delete', path: '/task/{id}/comment', tag: 'Task comment', summary: 'Refused: comments are never deleted', ok: { status: 403 }, errors: recordStays },
  { method: 'delete', path: '/task/{id}/comment/{commentId}', tag: 'Task comment', summary: 'Refused: comments are never deleted', ok: { status: 403 }, errors: recordStays },
  { method: 'get', path: '/task/{id}/attachment', tag: 'Task attachment', summary: 'Documents attached at the task', ok: { status: 200, schema: 'Attachment', array: true } },
  { method: 'get', path: '/task/{id}/attachment/{attachmentId}', tag: 'Task attachment', summary: 'One attachment', ok: { status: 200, schema: 'Attachment' } },
  { method: 'get', path: '/task/{id}/attachment/{attachmentId}/data', tag: 'Task attachment', summary: 'The bytes of the document, with its media type', ok: { status: 200, mediaType: 'application/octet-stream' } },
  { method: 'post', path: '/task/{id}/attachment/create', tag: 'Task attachment', summary: "The task's holder attaches a document (PDF, JPEG, PNG, TIFF by content); url attachments and descriptions refused", body: 'NewAttachment', multipart: true, ok: { status: 200, schema: 'Attachment' }, errors: { 413: 'Larger than ATTACHMENT_MAX_BYTES', 500: 'ProcessEngineException: the task is held by someone else or no longer open' } },
  { method: 'delete', path: '/task/{id}/attachment/{attachmentId}', tag: 'Task attachment', summary: 'Refused: attachments are never deleted', ok: { status: 403 }, errors: recordStays },

  { method: 'post', path: '/filter/create', tag: 'Filter', summary: "Creates a task filter of the caller's", body: 'NewFilter', ok: { status: 200, schema: 'Filter' } },
  { method: 'get', path: '/filter', tag: 'Filter', summary: "The caller's filters", query: { resourceType: 'Task', itemCount: 'true: with the number of tasks', ...paging }, ok: { status: 200, schema: 'Filter', array: true } },
  { method: 'get', path: '/filter/count', tag: 'Filter', summary: "Number of the caller's filters", ok: { status: 200, schema: 'Count' } },
  { method: 'get', path: '/filter/{id}', tag: 'Filter', summary: 'One filter', query: { itemCount: '' }, ok: { status: 200, schema: 'Filter' } },
  { method: 'put', path: '/filter/{id}', tag: 'Filter', summary: 'Updates a filter', body: 'NewFilter', ok: { status: 204 } },
  { method: 'delete', path: '/filter/{id}', tag: 'Filter', summary: 'Deletes a filter', ok: { status: 204 } },
  { method: 'get', path: '/filter/{id}/list', tag: 'Filter', summary: "The filter's tasks", query: paging, ok: { status: 200, schema: 'Task', array: true } },
  { method: 'post', path: '/filter/{id}/list', tag: 'Filter', summary: "The filter's tasks, the body's query properties and sorting winning", query: paging, body: 'TaskQuery', ok: { status: 200, schema: 'Task', array: true } },
  { method: 'get', path: '/filter/{id}/count', tag: 'Filter', summary: "Number of the filter's tasks", ok: { status: 200, schema: 'Count' } },
  { method: 'post', path: '/filter/{id}/count', tag: 'Filter', summary: "Number of the filter's tasks with the body's query", body: 'TaskQuery', ok: { status: 200, schema: 'Count' } },

  { method: 'get', path: '/history/process-instance', tag: 'History', summary: "Instances the caller may see, running and ended (webapps-neo lists a definition's with unfinished=true)", query: { processInstanceId: '', processInstanceIds: '', processDefinitionId: '', processDefinitionKey: '', processDefinitionKeyIn: '', processInstanceBusinessKey: '', processInstanceBusinessKeyLike: '', superProcessInstanceId: '', subProcessInstanceId: '', rootProcessInstances: '', finished: '', unfinished: '', startedBy: '', startedAfter: '', startedBefore: '', finishedAfter: '', finishedBefore: '', activeActivityIdIn: '', sortBy: 'instanceId, definitionId, definitionKey, definitionVersion, businessKey, startTime, endTime', sortOrder: '', ...paging }, ok: { status: 200, schema: 'HistoricProcessInstance', array: true } },
  { method: 'post', path: '/history/process-instance', tag: 'History', summary: 'The same query as a JSON body', query: paging, body: 'HistoryQuery', ok: { status: 200, schema: 'HistoricProcessInstance', array: true } },
  { method: 'get', path: '/history/process-instance/count', tag: 'History', summary: 'Number of results of the same query', ok: { status: 200, schema: 'Count' } },
  { method: 'post', path: '/history/process-instance/count', tag: 'History', summary: 'Number of results of the query body', body: 'HistoryQuery', ok: { status: 200, schema: 'Count' } },
  { method: 'get', path: '/history/process-instance/{id}', tag: 'History', summary: 'One instance the caller may see, running or ended', ok: { status: 200, schema: 'HistoricProcessInstance' } },
  { method: 'get', path: '/history/activity-instance', tag: 'History', summary: "An instance's activity instances, ended and running (processInstanceId required)", query: { processInstanceId: '', activityInstanceId: '', activityId: '', activityName: '', activityType: '', executionId: '', taskAssignee: '', processDefinitionId: '', finished: '', unfinished: '', canceled: '', completeScope: '', startedAfter: '', startedBefore: '', finishedAfter: '', finishedBefore: '', sortBy: 'activityInstanceId, instanceId, executionId, activityId, activityName, activityType, startTime, endTime, duration, definitionId, occurrence', sortOrder: '', ...paging }, ok: { status: 200, schema: 'HistoricActivityInstance', array: true } },
  { method: 'post', path: '/history/activity-instance', tag: 'History', summary: 'The same query as a JSON body', query: paging, body: 'HistoryQuery', ok: { status: 200, schema: 'HistoricActivityInstance', array: true } },
  { method: 'get', path: '/history/activity-instance/count', tag: 'History', summary: 'Number of results of the same query', ok: { status: 200, schema: 'Count' } },
  { method: 'post', path: '/history/activity-instance/count', tag: 'History', summary: 'Number of results of the query body', body: 'HistoryQuery', ok: { status: 200, schema: 'Count' } },
  { method: 'get', path: '/history/task', tag: 'History', summary: "Tasks of the instances the caller may see, every state", query: { taskId: '', processInstanceId: '', processInstanceIds: '', processDefinitionId: '', processDefinitionKey: '', processInstanceBusinessKey: '', taskDefinitionKey: '', taskName: '', taskNameLike: '', taskAssignee: '', taskOwner: '', finished: '', unfinished: '', sortBy: '', sortOrder: '', ...paging }, ok: { status: 200, schema: 'HistoricTask', array: true } },
  { method: 'post', path: '/history/task', tag: 'History', summary: 'The same query as a JSON body', query: paging, body: 'HistoryQuery', ok: { status: 200, schema: 'HistoricTask', array: true } },
  { method: 'get', path: '/history/task/count', tag: 'History', summary: 'Number of results of the same query', ok: { status: 200, schema: 'Count' } },
  { method: 'post', path: '/history/task/count', tag: 'History', summary: 'Number of results of the query body', body: 'HistoryQuery', ok: { status: 200, schema: 'Count' } },
  { method: 'get', path: '/history/variable-instance', tag: 'History', summary: "An instance's variables (processInstanceId required), typed", query: { processInstanceId: '', processInstanceIdIn: '', variableName: '', variableNameLike: '', deserializeValues: 'Ignored', sortBy: '', sortOrder: '', ...paging }, ok: { status: 200, schema: 'HistoricVariableInstance', array: true } },
  { method: 'post', path: '/history/variable-instance', tag: 'History', summary: 'The same query as a JSON body', query: paging, body: 'HistoryQuery', ok: { status: 200, schema: 'HistoricVariableInstance', array: true } },
  { method: 'get', path: '/history/variable-instance/count', tag: 'History', summary: 'Number of results of the same query', ok: { status: 200, schema: 'Count' } },
  { method: 'post', path: '/history/variable-instance/count', tag: 'History', summary: 'Number of results of the query body', body: 'HistoryQuery', ok: { status: 200, schema: 'Count' } },
  { method: 'get', path: '/history/incident', tag: 'History', summary: "Incidents of the instances the caller may see (type failedJob)", query: { incidentId: '', processInstanceId: '', processDefinitionId: '', processDefinitionKey: '', activityId: '', failedActivityId: '', incidentType: '', open: '', resolved: '', deleted: '', sortBy: '', sortOrder: '', ...paging }, ok: { status: 200, schema: 'HistoricIncident', array: true } },
  { method: 'post', path: '/history/incident', tag: 'History', summary: 'The same query as a JSON body', query: paging, body: 'HistoryQuery', ok: { status: 200, schema: 'HistoricIncident', array: true } },
  { method: 'get', path: '/history/incident/count', tag: 'History', summary: 'Number of results of the same query', ok: { status: 200, schema: 'Count' } },
  { method: 'post', path: '/history/incident/count', tag: 'History', summary: 'Number of results of the query body', body: 'HistoryQuery', ok: { status: 200, schema: 'Count' } },
  { method: 'get', path: '/history/user-operation', tag: 'History', summary: "The user operation log of tasks: claim, assign, delegate, resolve, complete, attachments (by processInstanceId, executionId, taskId, userId)", query: { processInstanceId: '', executionId: '', taskId: '', processDefinitionKey: '', userId: '', operationType: '', entityType: '', category: '', afterTimestamp: '', beforeTimestamp: '', sortBy: 'timestamp', sortOrder: '', ...paging }, ok: { status: 200, schema: 'UserOperation', array: true } },
  { method: 'post', path: '/history/user-operation', tag: 'History', summary: 'The same query as a JSON body', query: paging, body: 'HistoryQuery', ok: { status: 200, schema: 'UserOperation', array: true } },
  { method: 'get', path: '/history/user-operation/count', tag: 'History', summary: 'Number of results of the same query', ok: { status: 200, schema: 'Count' } },
  { method: 'post', path: '/history/user-operation/count', tag: 'History', summary: 'Number of results of the query body', body: 'HistoryQuery', ok: { status: 200, schema: 'Count' } },
  { method: 'get', path: '/incident', tag: 'Incident', summary: 'Open incidents of the instances the caller may see (a failed step: type failedJob)', query: { incidentId: '', incidentType: '', processInstanceId: '', processDefinitionId: '', processDefinitionKey: '', activityId: '', failedActivityId: '', sortBy: 'incidentId, incidentMessage, incidentTimestamp, activityId, processInstanceId', sortOrder: '', ...paging }, ok: { status: 200, schema: 'Incident', array: true } },
  { method: 'get', path: '/incident/count', tag: 'Incident', summary: 'Number of open incidents by the same query', ok: { status: 200, schema: 'Count' } },
  { method: 'post', path: '/message', tag: 'Message', summary: 'Message correlation: the reglaments wait for no message, so it is answered 400 RestException naming the message and the reason', body: 'MessageCorrelation', ok: { status: 400, description: 'RestException: no diagram waits for this message' }, errors: {} },
  { method: 'post', path: '/external-task/fetchAndLock', tag: 'External task', summary: 'Locks open external tasks of the topics for a worker (groups worker or admin), waiting up to asyncResponseTimeout', body: 'FetchAndLock', ok: { status: 200, schema: 'LockedExternalTask', array: true } },
  { method: 'get', path: '/external-task', tag: 'External task', summary: 'Open external tasks', query: { externalTaskId: '', topicName: '', workerId: '', processInstanceId: '', activityId: '', executionId: '', processDefinitionId: '', locked: '', notLocked: '', withRetriesLeft: '', noRetriesLeft: '', ...paging }, ok: { status: 200, schema: 'ExternalTask', array: true } },
  { method: 'get', path: '/external-task/count', tag: 'External task', summary: 'Number of open external tasks', query: { topicName: '', workerId: '', processInstanceId: '', locked: '', notLocked: '' }, ok: { status: 200, schema: 'Count' } },
  { method: 'get', path: '/external-task/{id}', tag: 'External task', summary: 'One open external task', ok: { status: 200, schema: 'ExternalTask' } },
  { method: 'post', path: '/external-task/{id}/complete', tag: 'External task', summary: 'The worker holding the lock completes it with what the topic produces', body: 'ExternalTaskComplete', ok: { status: 204 } },
  { method: 'post', path: '/external-task/{id}/failure', tag: 'External task', summary: 'The worker reports a failure: retried after retryTimeout, an incident when retries reach 0', body: 'ExternalTaskFailure', ok: { status: 204 } },
  { method: 'post', path: '/external-task/{id}/bpmnError', tag: 'External task', summary: 'The worker throws a BPMN error the diagram catches', body: 'ExternalTaskBpmnError', ok: { status: 204 } },
  { method: 'post', path: '/external-task/{id}/extendLock', tag: 'External task', summary: 'The worker holding the lock extends it', body: 'ExternalTaskExtendLock', ok: { status: 204 } },
  { method: 'post', path: '/external-task/{id}/lock', tag: 'External task', summary: 'Locks one external task for a worker', body: 'ExternalTaskLock', ok: { status: 204 } },
  { method: 'post', path: '/external-task/{id}/unlock', tag: 'External task', summary: 'Releases the lock', ok: { status: 204 } },
];

/** Each path template's parameters, all strings. */
function pathParameters(path: string): Json[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
}

export function engineRestOpenApiDocument(unsupported: { paths: string[]; methods?: string[]; message: string }[] = []): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of OPERATIONS) {
    const ok = op.ok;
    const okContent = ok.mediaType ? { [ok.mediaType]: { schema: { type: 'string' } } } : ok.schema ? { 'application/json': { schema: ok.array ? arrayOf(ok.schema) : ref(ok.schema) } } : undefined;
    const refusal = ok.status >= 400 ? { content: { 'application/json': { schema: ref('CamundaError') } } } : {};
    const responses: Record<string, Json> = { [ok.status]: { description: ok.description ?? (ok.status === 204 ? 'Done, no content' : ok.status >= 400 ? (op.errors?.[ok.status] ?? 'Refused') : 'OK'), ...(okContent && ok.status < 300 ? { content: okContent } : refusal) } };
    if (ok.status === 204 && ok.schema) responses['200'] = { description: 'The instance variables (withVariablesInReturn)', content: { 'application/json': { schema: ref(ok.schema) } } };
    const signedIn: Record<number, string> = op.public ? {} : { 401: 'AuthenticationException: HTTP Basic (user id, token) or Bearer token needed', 403: 'AuthorizationException', 404: 'InvalidRequestException: unknown or not visible' };
    const errors: Record<number, string> = {
      ...signedIn,
      400: 'InvalidRequestException naming the parameter or field',
      ...op.errors,
    };
    for (const [status, description] of Object.entries(errors)) responses[status] ??= { description, content: { 'application/json': { schema: ref('CamundaError') } } };
    (paths[op.path] ??= {})[op.method] = {
      tags: [op.tag],
      summary: op.summary,
      ...(op.public ? { security: [] } : {}),
      parameters: [...pathParameters(op.path), ...Object.entries(op.query ?? {}).map(([name, description]) => ({ name, in: 'query', required: false, schema: { type: 'string' }, ...(description ? { description } : {}) }))],
      ...(op.body ? { requestBody: { required: !['TaskQuery', 'UserIdBody', 'CompleteBody', 'StartBody', 'HistoryQuery', 'ProcessInstanceQuery'].includes(op.body), content: { [op.multipart ? 'multipart/form-data' : 'application/json']: { schema: ref(op.body) } } } } : {}),
      responses,
    };
  }
  const notSupported = unsupported.map((u) => `- ${u.methods ? `${u.methods.join(', ')} ` : ''}${u.paths.map((p) => `\`${p.replace('/*rest', '/…')}\``).join(', ')}: ${u.message}`).join('\n');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Reglament: the Camunda 7 REST dialect (/engine-rest)',
      version: '7.24.0',
      description: `A subset of Camunda 7.24's REST API with its paths, JSON shapes, status codes and error body { type, message }, for Camunda 7 clients (Camunda Modeler, tasklists such as Operaton's webapps-neo, external-task workers). Authenticate with HTTP Basic (user id, API token) or "Authorization: Bearer <token>". Stricter than Camunda where docs/camunda-7.md says so. Not supported (answered in Camunda's error shape with the reason):\n${notSupported}`,
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/engine-rest' }],
    security: [{ basic: [] }, { bearer: [] }],
    components: { securitySchemes: { basic: { type: 'http', scheme: 'basic' }, bearer: { type: 'http', scheme: 'bearer' } }, schemas: SCHEMAS },
    paths,
  };
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** `GET /task/{id}` for every method route a router serves, those of the routers it mounts included (not catch-alls). */
export function engineRestServedRoutes(router: Router): string[] {
  const served: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path]) {
          for (const method of Object.keys(layer.route.methods)) if (method !== '_all') served.push(`${method.toUpperCase()} ${openApiPath(path)}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((router as unknown as { stack: Layer[] }).stack);
  return [...new Set(served)];
}
