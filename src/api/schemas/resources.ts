/**
 * The shapes /api answers with, once: the OpenAPI document is generated from them and the web app
 * takes its types from them (type-only imports; nothing of zod reaches the browser bundle).
 * This module imports zod only.
 */
import { z } from 'zod';

const dateTime = z.string().meta({ format: 'date-time' });

export const ErrorBody = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .meta({ id: 'Error', description: 'Every error of /api: { error: { code, message, details } }' });

export const FormFieldSchema = z
  .object({
    id: z.string(),
    label: z.string().optional(),
    type: z.enum(['string', 'long', 'boolean', 'date', 'enum']),
    required: z.boolean(),
    pattern: z.string().optional(),
    iinBin: z.enum(['iin-or-bin', 'iin', 'bin']).optional().meta({ description: 'An IIN/BIN (camunda:constraint iin-bin): date part and control digit checked (JSON-Schema format kz-iin-bin, kz-iin, kz-bin)' }),
    minlength: z.number().int().optional(),
    maxlength: z.number().int().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    values: z.array(z.object({ id: z.string(), name: z.string().optional() })).optional().meta({ description: "An enum's values; for a users-of-group field (choices), the group's current users (id and display name) as the server fills them" }),
    defaultValue: z.string().optional(),
    multiline: z.boolean().optional().meta({ description: 'Form field property multiline: a text of several lines (a textarea)' }),
    choices: z.object({ usersOfGroup: z.string() }).optional().meta({ description: 'Form field property choices = users-of-group:<group>: the id of a current user of the group (checked at completion)' }),
    requiredIf: z.object({ field: z.string(), value: z.string() }).optional().meta({ description: 'Form field property requiredIf = <field>=<value>: required when that field of the form has that value' }),
  })
  .meta({ id: 'FormField' });

/** A form's fields as one JSON Schema (src/runtime/form-schema.ts): what the server checks, served for the browser to check first. */
export const FormJsonSchema = z.record(z.string(), z.unknown()).meta({ id: 'FormJsonSchema', description: 'JSON Schema (2020-12) of the variables a start or completion may send' });

export const StartRefusal = z.object({ code: z.enum(['NOT_STARTABLE', 'NOT_A_STARTER']), message: z.string() });

/** One text of a diagram in three languages: Kazakh from the diagram (the legal text), ru / en from processes/i18n when current. */
export const NamesSchema = z
  .object({
    kk: z.string().meta({ description: 'As the diagram writes it: the legal text' }),
    ru: z.string().optional().meta({ description: 'Absent when processes/i18n has no translation of the current Kazakh text' }),
    en: z.string().optional(),
  })
  .meta({ id: 'Names' });

/** As src/definitions/act.ts reads them (test/unit/definitions/act.test.ts keeps the lists equal). */
const ActReferenceSchema = z.object({ kind: z.enum(['order', 'resolution', 'decree', 'law']), number: z.string(), date: z.string().meta({ format: 'date' }) });

/** The act a reglament implements (its act.* process properties, processes/README.md "The act"). */
export const ActSchema = z
  .object({
    body: z.string().meta({ description: 'Issuing body, in Kazakh as the act names it' }),
    bodyRu: z.string().optional(),
    bodyEn: z.string().optional(),
    kind: z.enum(['order', 'resolution', 'decree', 'law']),
    number: z.string(),
    date: z.string().meta({ format: 'date' }),
    registration: z.string().meta({ description: 'State registration number with the justice bodies' }),
    registrationDate: z.string().meta({ format: 'date' }).optional(),
    status: z.enum(['in-force', 'repealed']),
    repealedBy: ActReferenceSchema.optional(),
    annex: z.string().meta({ description: 'Annex number of the act holding the reglament, "only" (its single unnumbered annex) or "none" (the act\'s own text)' }),
    amends: ActReferenceSchema.optional(),
    title: z.string().optional().meta({ description: "The act's own title, as written" }),
    textFile: z.string().optional().meta({ description: "File of the act's text" }),
  })
  .meta({ id: 'Act' });

export const ProcessDefinitionSchema = z
  .object({
    id: z.string().meta({ example: 'cotton-warehouse-license:1' }),
    key: z.string(),
    version: z.number().int(),
    name: z.string().nullable(),
    resourceName: z.string(),
    deploymentId: z.string(),
    deployedAt: dateTime,
    inForceFrom: z.string().nullable().meta({ description: 'The date (YYYY-MM-DD, Almaty) from which this version is in force (process property inForceFrom); null: from its deployment', example: '2027-01-01' }),
    startable: z.boolean().meta({ description: 'Whether the caller may start it (candidate starters of the diagram, or admin; never a flow with isStartableInTasklist="false")' }),
    startRefusal: StartRefusal.optional().meta({ description: 'When not startable: the 403 a start would get' }),
    act: ActSchema.optional().meta({ description: 'The act the reglament implements; absent for the shared flows' }),
    names: NamesSchema.optional().meta({ description: 'The title in Kazakh (the legal text) and, where processes/i18n has a current translation, Russian and English' }),
  })
  .meta({ id: 'ProcessDefinition' });

export const InForceSchema = z
  .object({
    key: z.string(),
    today: z.string().meta({ description: 'Today in Almaty (YYYY-MM-DD): the filing date of an application started now' }),
    periods: z
      .array(
        z.object({
          id: z.string().meta({ example: 'cotton-warehouse-license:2' }),
          version: z.number().int(),
          from: z.string().nullable().meta({ description: 'First filing date it applies to; null: since its deployment' }),
          until: z.string().nullable().meta({ description: 'Last filing date it applies to; null: until a later version is deployed' }),
        }),
      )
      .meta({ description: 'Which version a new application starts on, by filing date, from the one in force today on; a version replaced before its date came is not listed' }),
  })
  .meta({ id: 'InForce' });

export const DiagramTranslationsSchema = z
  .object({
    processDefinitionKey: z.string(),
    version: z.number().int(),
    startFormElementId: z.string().optional().meta({ description: 'The start event whose form is the start form: its fields are keyed `<this id>/<field id>`' }),
    texts: z.record(z.string(), NamesSchema).meta({
      description: 'By key: an element id (process, pool, lane, flow node, named sequence flow), `<element id>/<field id>` (a form field label), `<element id>/<field id>/<option id>` (an enum option)',
    }),
  })
  .meta({ id: 'DiagramTranslations' });

export const ProcessDefinitionDetailSchema = ProcessDefinitionSchema.extend({
  startFormFields: z.array(FormFieldSchema),
  startFormSchema: FormJsonSchema,
}).meta({ id: 'ProcessDefinitionDetail' });

export const ActivitySchema = z.object({ id: z.string(), name: z.string().optional(), type: z.string().optional() }).meta({ id: 'Activity' });

export const IncidentSchema = z
  .object({
    id: z.string(),
    processInstanceId: z.string(),
    processDefinitionKey: z.string(),
    activityId: z.string(),
    handler: z.string(),
    message: z.string(),
    attempts: z.number().int(),
    createdAt: dateTime,
    updatedAt: dateTime,
    resolvedAt: dateTime.nullable(),
    resolvedBy: z.string().nullable(),
  })
  .meta({ id: 'Incident' });

export const ProcessInstanceSchema = z
  .object({
    id: z.string(),
    processDefinitionKey: z.string(),
    processDefinitionId: z.string(),
    version: z.number().int(),
    businessKey: z.string().nullable(),
    state: z.enum(['running', 'completed']),
    variables: z.record(z.string(), z.unknown()),
    activeActivities: z.array(ActivitySchema),
    startedAt: dateTime,
    endedAt: dateTime.nullable(),
    outcome: z.string().optional().meta({ description: 'Id of the end event reached' }),
    parentInstanceId: z.string().optional().meta({ description: 'Set on instances started by a call activity' }),
    deadline: dateTime.nullable(),
    deadlineDerived: z.unknown().nullable(),
    overdue: z.boolean(),
    incidents: z.array(IncidentSchema).optional().meta({ description: 'Open incidents (GET of one instance)' }),
  })
  .meta({ id: 'ProcessInstance' });

export const StartedInstanceSchema = ProcessInstanceSchema.pick({ id: true, processDefinitionKey: true, version: true, state: true, businessKey: true, activeActivities: true, outcome: true })
  .extend({ outcomeName: z.string().optional().meta({ description: 'Name of the end event, when the run ended at once (e.g. a formal refusal)' }) })
  .meta({ id: 'StartedInstance' });

export const HistoryEntrySchema = z
  .object({
    at: dateTime,
    type: z.string().meta({
      description: 'instance-started, activity-end, flow-taken, service-completed, business-error, task-created, task-claimed, task-unclaimed, task-completed, task-cancelled, call-started, call-completed, instance-completed',
    }),
    activityId: z.string().optional(),
    activityName: z.string().optional(),
    user: z.string().optional(),
    userName: z.string().optional().meta({ description: "The user's display name" }),
    userNames: z.record(z.string(), z.string()).optional().meta({ description: 'A completed step that chose users (a users-of-group field): their display names by id' }),
    data: z.unknown().optional(),
  })
  .meta({ id: 'HistoryEntry' });

/** What a page needs to say a case's variables in words: each form-declared variable's label and option names, in three languages. */
export const VariableCatalogueSchema = z
  .object({
    processDefinitionKey: z.string(),
    version: z.number().int(),
    variables: z.record(
      z.string(),
      z.object({
        label: NamesSchema,
        type: z.enum(['string', 'long', 'boolean', 'date', 'enum']),
        values: z.record(z.string(), NamesSchema).optional().meta({ description: 'Enum: option id -> its name' }),
        declaredBy: z.string().meta({ description: 'The element whose form declares it first (the start event, else the first user task in document order)' }),
        source: z.enum(['start-form', 'task-form']),
      }),
    ).meta({ description: 'By variable id; variables that no form declares (handler outputs, call inputs) are absent: the web app names them from its own dictionary' }),
  })
  .meta({ id: 'VariableCatalogue' });

/** A signed document (CMS SignedData, base64 in a variable) of a case, summarised and verified by the server. */
export const SignedDocumentSchema = z
  .object({
    variable: z.string().meta({ example: 'resultDocument' }),
    signer: z.object({ commonName: z.string().optional(), iin: z.string().optional(), bin: z.string().optional(), organization: z.string().optional() }),
    signedAt: dateTime.nullable().meta({ description: 'The signingTime attribute' }),
    valid: z.boolean().nullable().meta({ description: 'Verified now with the EDS verifier (signature, chain to a trusted root, validity, CRL; for a document the applicant sent, also the applicant\'s IIN/BIN); null: it could not be verified (no verifier configured, CA unreachable)' }),
    failure: z.string().nullable().meta({ description: 'missing-signature, bad-signature, untrusted, expired, not-yet-valid, revoked, iin-mismatch, or unavailable' }),
    message: z.string().nullable(),
    checkedAgainstApplicant: z.boolean().meta({ description: "Whether the signer had to be the applicant (a start form field: the applicant's own request)" }),
    contentBytes: z.number().int(),
    download: z.string().meta({ description: 'Path of the DER file (add ?format=pem for PEM)' }),
  })
  .meta({ id: 'SignedDocument' });

export const TaskSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    taskDefinitionKey: z.string(),
    processInstanceId: z.string(),
    processDefinitionKey: z.string(),
    processDefinitionId: z.string(),
    businessKey: z.string().nullable(),
    candidateGroups: z.array(z.string()),
    assignee: z.string().nullable(),
    assigneeName: z.string().nullable().optional().meta({ description: "The display name of the user holding the task (null when unclaimed)" }),
    owner: z.string().nullable().meta({ description: 'Camunda owner: who delegated the task and gets it back when the delegate resolves it' }),
    ownerName: z.string().nullable().optional().meta({ description: "The owner's display name" }),
    delegationState: z.enum(['PENDING', 'RESOLVED']).nullable().meta({ description: 'Camunda delegationState: PENDING while a delegate holds it, RESOLVED once handed back; null: never delegated' }),
    created: dateTime,
    due: dateTime.nullable(),
    overdue: z.boolean(),
    escalatedAt: dateTime.nullable(),
    timeLimit: z.string().nullable().meta({ example: '1 working day' }),
    priority: z.number().int(),
    state: z.enum(['open', 'completed', 'cancelled']),
    completedAt: dateTime.optional(),
    completedBy: z.string().optional(),
    applicantName: z.string().nullable().optional().meta({ description: "The applicant of the task's application (start form field applicantName)" }),
    applicantIinBin: z.string().nullable().optional().meta({ description: "The applicant's IIN/BIN (start form field applicantIinBin)" }),
  })
  .meta({ id: 'Task' });

export const TaskDetailSchema = TaskSchema.extend({
  assigneeName: z.string().nullable().meta({ description: "The display name of the user holding the task (null when unclaimed)" }),
  completedByName: z.string().optional().meta({ description: 'The display name of the user who completed it' }),
  documentation: z.string().optional(),
  variables: z.record(z.string(), z.unknown()),
  formFields: z.array(FormFieldSchema),
  formSchema: FormJsonSchema,
  signs: z.string().optional().meta({ description: 'A signing step: the kind of document its person signs with EDS through NCALayer (GET /api/tasks/{id}/draft.pdf, POST /api/tasks/{id}/sign); absent for a form step' }),
  ncalayerUrl: z.string().optional().meta({ description: "A signing step: where the signer's browser reaches NCALayer (NCALAYER_URL)" }),
}).meta({ id: 'TaskDetail' });

export const TaskAssignmentSchema = z.object({ id: z.string(), assignee: z.string().nullable() }).meta({ id: 'TaskAssignment' });

export const CompletedTaskSchema = z
  .object({ id: z.string(), state: z.string(), processInstanceId: z.string(), processInstanceState: z.string().optional(), outcome: z.string().optional() })
  .meta({ id: 'CompletedTask' });

export const DeploymentResultSchema = z
  .object({
    id: z.string().nullable().meta({ description: 'null when every resource was unchanged' }),
    name: z.string(),
    deployedAt: dateTime,
    definitions: z.array(z.object({ id: z.string(), key: z.string(), version: z.number().int(), name: z.string().nullable(), resourceName: z.string(), created: z.boolean() })),
  })
  .meta({ id: 'DeploymentResult' });

export const TimerSchema = z.record(z.string(), z.unknown()).meta({ id: 'Timer', description: "A host timer: a diagram's timer event (kind event) or a task's legal time limit (kind task-due)" });

export const FiredTimersSchema = z
  .object({ fired: z.array(z.string()), failed: z.array(z.object({ timerId: z.string(), error: z.string() })), warned: z.array(z.string()).meta({ description: 'Tasks warned as at risk (entered the last AT_RISK_SHARE of their limit)' }) })
  .meta({ id: 'FiredTimers' });

export const NotificationSchema = z
  .object({
    id: z.string(),
    groupId: z.string().nullable(),
    userId: z.string().nullable(),
    type: z.string().meta({ description: 'task-overdue or task-at-risk' }),
    message: z.string(),
    processInstanceId: z.string().nullable(),
    taskId: z.string().nullable(),
    createdAt: dateTime,
    readAt: dateTime.nullable(),
    readBy: z.string().nullable(),
    task: z
      .object({ name: z.string().nullable(), taskDefinitionKey: z.string(), processDefinitionKey: z.string(), businessKey: z.string().nullable(), due: dateTime.nullable(), state: z.string(), assignee: z.string().nullable() })
      .nullable()
      .optional()
      .meta({ description: 'The task it is about, as it is now (in the list)' }),
  })
  .meta({ id: 'Notification' });

export const LatenessEntrySchema = z
  .object({
    taskId: z.string(),
    taskDefinitionKey: z.string(),
    stepName: z.string().nullable(),
    processDefinitionKey: z.string().meta({ description: 'The reglament (the caller of a shared flow)' }),
    processInstanceId: z.string(),
    businessKey: z.string().nullable().meta({ description: 'Case number' }),
    applicantName: z.string().nullable(),
    applicantIinBin: z.string().nullable(),
    assignee: z.string().nullable().meta({ description: 'null: unclaimed, see candidateGroups' }),
    candidateGroups: z.array(z.string()),
    created: dateTime,
    due: dateTime,
    timeLimit: z.string().nullable(),
    state: z.enum(['overdue', 'at-risk']),
    workingMinutesOver: z.number().meta({ description: 'Working minutes past the due date (overdue)' }),
    workingMinutesLeft: z.number().meta({ description: 'Working minutes until the due date (at risk)' }),
  })
  .meta({ id: 'LatenessEntry' });

export const LatenessSchema = z
  .object({ items: z.array(LatenessEntrySchema), total: z.number().int(), overdue: z.number().int().meta({ description: 'How many of total are past their due date' }) })
  .meta({ id: 'Lateness' });

export const SlaReportSchema = z
  .object({
    processDefinitionKey: z.string().nullable(),
    from: dateTime.nullable(),
    to: dateTime.nullable(),
    processes: z.array(z.record(z.string(), z.unknown())),
  })
  .meta({ id: 'SlaReport' });

export const MeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    groups: z.array(z.string()),
    csrfToken: z.string().optional().meta({ description: "Only for the web app's session: what its POST requests send as X-CSRF-Token" }),
  })
  .meta({ id: 'Me' });

export const SignedOutSchema = z.object({ signedOut: z.literal(true) }).meta({ id: 'SignedOut' });

export const HealthSchema = z.object({ status: z.string(), time: dateTime }).meta({ id: 'Health' });

export const CaseStepSchema = z
  .object({ taskId: z.string(), activityId: z.string(), name: z.string().nullable(), assignee: z.string().nullable(), due: dateTime.nullable(), overdue: z.boolean(), processInstanceId: z.string() })
  .meta({ id: 'CaseStep', description: 'An open task of the application or of a flow it called' });

export const CaseSchema = z
  .object({
    id: z.string().meta({ description: 'Instance id of the application (the case page is /instances/{id})' }),
    caseNumber: z.string().nullable().meta({ description: 'Business key: unique per reglament, generated when the start gives none', example: 'CWL-2026-000042' }),
    processDefinitionKey: z.string(),
    processDefinitionId: z.string(),
    reglamentName: z.string().nullable(),
    applicantName: z.string().nullable(),
    applicantIinBin: z.string().nullable(),
    state: z.enum(['running', 'completed']),
    outcome: z.string().nullable().meta({ description: 'Id of the end event reached' }),
    outcomeName: z.string().nullable().meta({ description: 'Name of the end event reached' }),
    startedAt: dateTime,
    endedAt: dateTime.nullable(),
    startedBy: z.string().nullable(),
    deadline: dateTime.nullable(),
    overdue: z.boolean(),
    currentSteps: z.array(CaseStepSchema).meta({ description: 'Open tasks, oldest first; empty when the case waits for a system or has ended' }),
  })
  .meta({ id: 'Case' });

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int() });

export type FormField = z.infer<typeof FormFieldSchema>;
export type ProcessDefinition = z.infer<typeof ProcessDefinitionSchema>;
export type InForce = z.infer<typeof InForceSchema>;
export type Names = z.infer<typeof NamesSchema>;
export type DiagramTranslations = z.infer<typeof DiagramTranslationsSchema>;
export type ProcessDefinitionDetail = z.infer<typeof ProcessDefinitionDetailSchema>;
export type ProcessInstance = z.infer<typeof ProcessInstanceSchema>;
export type Incident = z.infer<typeof IncidentSchema>;
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;
export type VariableCatalogue = z.infer<typeof VariableCatalogueSchema>;
export type SignedDocumentInfo = z.infer<typeof SignedDocumentSchema>;
export type Task = z.infer<typeof TaskSchema>;
export type Case = z.infer<typeof CaseSchema>;
export type StartedInstance = z.infer<typeof StartedInstanceSchema>;
export type TaskDetail = z.infer<typeof TaskDetailSchema>;
export type Me = z.infer<typeof MeSchema>;
export type SlaReport = z.infer<typeof SlaReportSchema>;
export type Lateness = z.infer<typeof LatenessSchema>;
export type LatenessEntry = z.infer<typeof LatenessEntrySchema>;
export type Notification = z.infer<typeof NotificationSchema>;
