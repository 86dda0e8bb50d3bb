/**
 * What the host needs to know about a deployed process, read once from its moddle tree: user tasks
 * (candidate groups, time limit, form), service tasks (handler topic), call activities, end events
 * (outcomes) and lanes.
 */
import {
  allFlowElements,
  camundaAttr,
  camundaProperties,
  extensionsOf,
  camundaPropertyValues,
  documentationOf,
  executableProcesses,
  formFieldsOf,
  is,
  laneGroup,
  laneOf,
  lanesOf,
  list,
  splitList,
  startersOf,
} from './bpmn-utils';
import { Act, propertyMap, readAct } from './act';
import type { ModdleElement } from './parse';

export { executableProcesses } from './bpmn-utils';

export type FormFieldType = 'string' | 'long' | 'boolean' | 'date' | 'enum';

/** The constraint naming a field an IIN/BIN (checked with its control digit, src/iin-bin.ts). */
export const IIN_BIN_CONSTRAINT = 'iin-bin';

export const FORM_FIELD_TYPES: readonly FormFieldType[] = ['string', 'long', 'boolean', 'date', 'enum'];

/** What an `iin-bin` constraint admits: either number, or only an IIN, or only a BIN. */
export type IinBinFormat = 'iin-or-bin' | 'iin' | 'bin';

export interface FormField {
  id: string;
  label?: string;
  type: FormFieldType;
  required: boolean;
  pattern?: string;
  /** Constraint `iin-bin` (config `iin` or `bin` narrows it): an IIN or BIN with a valid date part and control digit. */
  iinBin?: IinBinFormat;
  minlength?: number;
  maxlength?: number;
  min?: number;
  max?: number;
  values?: { id: string; name?: string }[];
  defaultValue?: string;
  /** Form field property `multiline` = `true`: a text of several lines (a resolution, a conclusion, a reason), a textarea in the web app. */
  multiline?: boolean;
  /** Form field property `choices` = `users-of-group:<group>`: the id of a current user of the group, listed by the server and checked at completion. */
  choices?: { usersOfGroup: string };
  /** Form field property `requiredIf` = `<field>=<value>`: required when that field of the same form has that value. */
  requiredIf?: { field: string; value: string };
}

/** The `camunda:property` ids a form field may carry (`reglament/form-fields` refuses others). */
export const FORM_FIELD_PROPERTIES = ['multiline', 'choices', 'requiredIf'] as const;

/** `users-of-group:<group>` → the group; undefined for any other text. */
export function usersOfGroupChoice(value: string | undefined): string | undefined {
  const match = /^users-of-group:([A-Za-z0-9_.-]+)$/.exec(value?.trim() ?? '');
  return match?.[1];
}

/** `<field>=<value>` → both; undefined when there is no `=` or no field name. */
export function requiredIfCondition(value: string | undefined): { field: string; value: string } | undefined {
  const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\S.*?)\s*$/.exec(value ?? '');
  return match ? { field: match[1], value: match[2] } : undefined;
}

/** The `camunda:property` entries of a form field (`id` as the modeler writes it, `name` accepted too). */
export function formFieldProperties(field: ModdleElement): { id: string; value: string | undefined }[] {
  return list((field.properties as ModdleElement | undefined)?.values).map((p) => ({ id: String(p.id ?? p.name ?? '').trim(), value: typeof p.value === 'string' ? p.value : undefined }));
}

export interface ElementModel {
  id: string;
  /** Moddle type, e.g. `bpmn:UserTask`, `bpmn:SequenceFlow`. */
  type: string;
  name?: string;
  documentation?: string;
  laneId?: string;
  laneName?: string;
}

export interface UserTaskModel extends ElementModel {
  candidateGroups: string[];
  candidateUsers: string[];
  /** The `timeLimit` extension property, verbatim (see processes/README.md for the grammar). */
  timeLimit?: string;
  formFields: FormField[];
  /**
   * `camunda:assignee`: who the task is assigned to when it is created (Camunda semantics: the
   * candidate groups stay). `${name}` takes the user id from that process variable (a `choices`
   * field of an earlier step); any other text is a user id.
   */
  assignee?: { variable: string } | { user: string };
  /**
   * The `signs` extension property: the kind of document (licence, refusal, ...) the step's person
   * signs with their own EDS through NCALayer. Such a step is completed by its signature
   * (POST /api/tasks/{id}/sign), never by a form.
   */
  signs?: string;
  /**
   * The `grantedIf` extension property (`<variable>=<value>`, a boolean or enum form field of an
   * earlier step; several such conditions joined by `;` must all hold): where one step signs the
   * act's result or its refusal, the `signs` kind is signed when the case's variables have those
   * values (the service is granted), a refusal otherwise (also when no step set one, e.g. a refusal
   * for incomplete documents). No expression is evaluated.
   */
  grantedIf?: { variable: string; value: string }[];
}

/**
 * Joins the conditions of `grantedIf`. A variable name is an identifier and the enum values the
 * conditions compare with are checked by reglament/signing-step, so `;` never splits a condition.
 */
export const GRANTED_IF_SEPARATOR = ';';

/**
 * The conditions of a `grantedIf` text, in order; undefined when any of them is not
 * `<variable>=<value>` (an empty one included), so a half-read property never decides a document.
 */
export function grantedIfConditions(value: string | undefined): { field: string; value: string }[] | undefined {
  if (value === undefined) return undefined;
  const conditions = value.split(GRANTED_IF_SEPARATOR).map((part) => requiredIfCondition(part));
  return conditions.every((condition) => condition !== undefined) ? (conditions as { field: string; value: string }[]) : undefined;
}

/** The kinds of document a signing step may sign (the result kinds documents/result-pdf.ts renders; a test keeps the two lists equal). */
export const SIGNED_DOCUMENT_KINDS = ['licence', 'permit', 'certificate', 'attestat', 'notification', 'refusal'] as const;

/**
 * The kind a signing step signs in a case: `signs`, unless a condition of `grantedIf` does not hold
 * for the case's variables, then the refusal. A boolean field's value is compared as the text true/false.
 */
export function signedKindOf(task: Pick<UserTaskModel, 'signs' | 'grantedIf'>, variables: Record<string, unknown>): string | undefined {
  if (!task.signs) return undefined;
  const conditions = task.grantedIf ?? [];
  const holds = conditions.every(({ variable, value }) => variables[variable] !== undefined && variables[variable] !== null && String(variables[variable]) === value);
  return holds ? task.signs : 'refusal';
}

/** `camunda:assignee` read: `${name}` names a variable, other text is a user id; undefined when empty or another expression. */
export function assigneeOf(text: string | undefined): { variable: string } | { user: string } | undefined {
  const value = text?.trim();
  if (!value) return undefined;
  const variable = /^\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}$/.exec(value);
  if (variable) return { variable: variable[1] };
  return value.includes('${') || value.includes('#{') ? undefined : { user: value };
}

export interface ServiceTaskModel extends ElementModel {
  /** `camunda:topic` when `camunda:type="external"`. */
  handler?: string;
  /** The element's `camunda:property` entries (parameters of the handler, e.g. `notice`). */
  properties: Record<string, string>;
}

/** A Camunda input mapping `<camunda:in>`: copies `source` or evaluates `sourceExpression` into `target`. */
export interface CallInput {
  target: string;
  source?: string;
  sourceExpression?: string;
}

export interface CallActivityModel extends ElementModel {
  calledElement?: string;
  inputs: CallInput[];
}

export interface EndEventModel extends ElementModel {
  /** Error end event: the BPMN error code it throws to the caller. */
  errorCode?: string;
}

export interface ProcessModel {
  key: string;
  /** Overall legal time of the service (process extension property `serviceTimeLimit`); `derived` when `serviceTimeLimitBasis` is `derived` (the sum of the steps). */
  serviceTimeLimit?: { value: string; derived: boolean };
  /** The act the process implements (its `act.*` extension properties, src/definitions/act.ts), when complete and valid. */
  act?: Act;
  name?: string;
  documentation?: string;
  startFormFields: FormField[];
  /** Every flow node and sequence flow of the process, including those inside sub-processes. */
  elements: Map<string, ElementModel>;
  userTasks: Map<string, UserTaskModel>;
  serviceTasks: Map<string, ServiceTaskModel>;
  callActivities: Map<string, CallActivityModel>;
  endEvents: Map<string, EndEventModel>;
  lanes: { id: string; name?: string; group?: string }[];
  /**
   * `camunda:isStartableInTasklist` (default true): false for a flow that only call activities start;
   * no user, not even an admin, starts it (src/identity/access.ts).
   */
  startableInTasklist: boolean;
  /** `camunda:candidateStarterGroups`: the groups whose users may start it (besides admin). */
  candidateStarterGroups: string[];
  /** `camunda:candidateStarterUsers`: users who may start it whatever their groups. */
  candidateStarterUsers: string[];
}

/** Constraints whose config is a number. */
const NUMERIC_CONSTRAINTS = ['minlength', 'maxlength', 'min', 'max'] as const;

function toNumber(config: unknown): number | undefined {
  if (typeof config !== 'string' || config.trim() === '') return undefined;
  const value = Number(config.trim());
  return Number.isFinite(value) ? value : undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Reads `camunda:formField` elements into {@link FormField}s (an unknown or missing type reads as `string`). */
export function describeFormFields(element: ModdleElement): FormField[] {
  return formFieldsOf(element).map((field) => {
    const type = FORM_FIELD_TYPES.includes(field.type) ? (field.type as FormFieldType) : 'string';
    const result: FormField = { id: String(field.id ?? ''), type, required: false };
    const label = nonEmpty(field.label);
    if (label !== undefined) result.label = label;
    const defaultValue = nonEmpty(field.defaultValue);
    if (defaultValue !== undefined) result.defaultValue = defaultValue;
    for (const constraint of list((field.validation as ModdleElement | undefined)?.constraints)) {
      const name = typeof constraint.name === 'string' ? constraint.name.trim() : '';
      const config = constraint.config as string | undefined;
      if (name === 'required') {
        result.required = config === undefined || config.trim().toLowerCase() !== 'false';
      } else if (name === 'pattern') {
        if (typeof config === 'string' && config !== '') result.pattern = config;
      } else if (name === IIN_BIN_CONSTRAINT) {
        const narrowed = config?.trim().toLowerCase();
        result.iinBin = narrowed === 'iin' || narrowed === 'bin' ? narrowed : 'iin-or-bin';
      } else if ((NUMERIC_CONSTRAINTS as readonly string[]).includes(name)) {
        const value = toNumber(config);
        if (value !== undefined) result[name as (typeof NUMERIC_CONSTRAINTS)[number]] = value;
      }
    }
    for (const property of formFieldProperties(field)) {
      if (property.id === 'multiline') result.multiline = property.value?.trim().toLowerCase() === 'true';
      const group = property.id === 'choices' ? usersOfGroupChoice(property.value) : undefined;
      if (group !== undefined) result.choices = { usersOfGroup: group };
      const condition = property.id === 'requiredIf' ? requiredIfCondition(property.value) : undefined;
      if (condition !== undefined) result.requiredIf = condition;
    }
    if (!result.multiline) delete result.multiline;
    if (type === 'enum') {
      result.values = list(field.values).map((value) => {
        const entry: { id: string; name?: string } = { id: String(value.id ?? '') };
        const name = nonEmpty(value.name);
        if (name !== undefined) entry.name = name;
        return entry;
      });
    }
    return result;
  });
}

function describeElement(element: ModdleElement, lanes: ModdleElement[]): ElementModel {
  const model: ElementModel = { id: String(element.id), type: element.$type };
  const name = nonEmpty(element.name);
  if (name !== undefined) model.name = name;
  const documentation = documentationOf(element);
  if (documentation !== undefined) model.documentation = documentation;
  if (is(element, 'bpmn:FlowNode')) {
    const lane = laneOf(element, lanes);
    if (lane) {
      model.laneId = String(lane.id);
      const laneName = nonEmpty(lane.name);
      if (laneName !== undefined) model.laneName = laneName;
    }
  }
  return model;
}

/** The none start event of the process itself (not of an event sub-process), preferring one with a form. */
function processStartEvent(process: ModdleElement): ModdleElement | undefined {
  const starts = list(process.flowElements).filter((element) => is(element, 'bpmn:StartEvent') && list(element.eventDefinitions).length === 0);
  return starts.find((start) => formFieldsOf(start).length > 0) ?? starts[0];
}

/**
 * Describes the file's executable process (the first one when a file, against the rules, holds more).
 * Throws when the definitions hold no executable process.
 */
export function describeProcess(definitions: ModdleElement): ProcessModel {
  const process = executableProcesses(definitions)[0];
  if (!process) throw new Error('The definitions contain no executable process (isExecutable="true")');
  const lanes = lanesOf(process);
  const starters = startersOf(process);

  const model: ProcessModel = {
    key: String(process.id),
    startableInTasklist: starters.startableInTasklist,
    candidateStarterGroups: starters.groups,
    candidateStarterUsers: starters.users,
    startFormFields: [],
    elements: new Map(),
    userTasks: new Map(),
    serviceTasks: new Map(),
    callActivities: new Map(),
    endEvents: new Map(),
    lanes: lanes.map((lane) => {
      const entry: { id: string; name?: string; group?: string } = { id: String(lane.id) };
      const name = nonEmpty(lane.name);
      if (name !== undefined) entry.name = name;
      const group = laneGroup(lane);
      if (group !== undefined) entry.group = group;
      return entry;
    }),
  };
  const name = nonEmpty(process.name);
  if (name !== undefined) model.name = name;
  const documentation = documentationOf(process);
  if (documentation !== undefined) model.documentation = documentation;

  const serviceTimeLimit = camundaPropertyValues(process, 'serviceTimeLimit').find((v) => typeof v === 'string');
  if (serviceTimeLimit) model.serviceTimeLimit = { value: serviceTimeLimit.trim(), derived: camundaPropertyValues(process, 'serviceTimeLimitBasis')[0] === 'derived' };

  const act = readAct(propertyMap(camundaProperties(process))).act;
  if (act) model.act = act;

  const start = processStartEvent(process);
  if (start) model.startFormFields = describeFormFields(start);

  for (const element of allFlowElements(process)) {
    if (!is(element, 'bpmn:FlowNode') && !is(element, 'bpmn:SequenceFlow')) continue;
    if (typeof element.id !== 'string') continue;
    const base = describeElement(element, lanes);
    model.elements.set(base.id, base);

    if (is(element, 'bpmn:UserTask')) {
      const userTask: UserTaskModel = {
        ...base,
        candidateGroups: splitList(camundaAttr(element, 'candidateGroups')),
        candidateUsers: splitList(camundaAttr(element, 'candidateUsers')),
        formFields: describeFormFields(element),
      };
      const assignee = assigneeOf(camundaAttr(element, 'assignee'));
      if (assignee !== undefined) userTask.assignee = assignee;
      const timeLimit = camundaPropertyValues(element, 'timeLimit').find((value) => typeof value === 'string');
      if (timeLimit !== undefined) userTask.timeLimit = timeLimit.trim();
      const signs = camundaPropertyValues(element, 'signs').find((value) => typeof value === 'string');
      if (signs !== undefined && signs.trim() !== '') userTask.signs = signs.trim();
      const grantedIf = grantedIfConditions(camundaPropertyValues(element, 'grantedIf').find((value) => typeof value === 'string'));
      if (grantedIf !== undefined) userTask.grantedIf = grantedIf.map(({ field, value }) => ({ variable: field, value }));
      model.userTasks.set(base.id, userTask);
    } else if (is(element, 'bpmn:ServiceTask')) {
      const properties: Record<string, string> = {};
      for (const property of camundaProperties(element)) {
        if (typeof property.name === 'string' && typeof property.value === 'string') properties[property.name] = property.value;
      }
      const serviceTask: ServiceTaskModel = { ...base, properties };
      const topic = camundaAttr(element, 'topic');
      if (camundaAttr(element, 'type') === 'external' && topic) serviceTask.handler = topic.trim();
      model.serviceTasks.set(base.id, serviceTask);
    } else if (is(element, 'bpmn:CallActivity')) {
      const inputs: CallInput[] = extensionsOf(element, 'camunda:In')
        .filter((entry) => typeof entry.target === 'string' && entry.target !== '')
        .map((entry) => {
          const input: CallInput = { target: String(entry.target) };
          if (typeof entry.source === 'string' && entry.source !== '') input.source = entry.source;
          if (typeof entry.sourceExpression === 'string' && entry.sourceExpression !== '') input.sourceExpression = entry.sourceExpression;
          return input;
        });
      const callActivity: CallActivityModel = { ...base, inputs };
      const calledElement = nonEmpty(typeof element.calledElement === 'string' ? element.calledElement.trim() : undefined);
      if (calledElement !== undefined) callActivity.calledElement = calledElement;
      model.callActivities.set(base.id, callActivity);
    } else if (is(element, 'bpmn:EndEvent')) {
      const endEvent: EndEventModel = { ...base };
      const errorDefinition = list(element.eventDefinitions).find((definition) => is(definition, 'bpmn:ErrorEventDefinition'));
      const errorCode = errorDefinition ? nonEmpty((errorDefinition.errorRef as ModdleElement | undefined)?.errorCode) : undefined;
      if (errorCode !== undefined) endEvent.errorCode = errorCode;
      model.endEvents.set(base.id, endEvent);
    }
  }
  return model;
}
