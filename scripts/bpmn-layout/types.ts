/**
 * Input of the BPMN layout generator: one process in one pool with horizontal lanes, its flow nodes
 * placed on a grid (column = left-to-right position, row = line inside a lane), and its sequence
 * flows. The generator (./render.ts) turns it into BPMN 2.0 XML with Camunda 7 extensions and a
 * complete, orthogonal diagram interchange (DI). See ./README.md.
 */

export type NodeType =
  | 'startEvent'
  | 'endEvent'
  | 'userTask'
  | 'serviceTask'
  | 'exclusiveGateway'
  | 'callActivity'
  | 'boundaryEvent'
  | 'intermediateCatchEvent';

/** Camunda input mapping of a call activity: `<camunda:in sourceExpression="${...}" target="x"/>` or `source="y"`. */
export interface CallInputSpec {
  target: string;
  sourceExpression?: string;
  source?: string;
}

/** A timer: ISO 8601 `timeDuration` (e.g. `P1M`), `timeDate` (an expression such as `${testDate}`), or a working-time `timeLimit` (grammar of processes/README.md) that the host turns into the due date. */
export interface TimerSpec {
  timeDuration?: string;
  timeDate?: string;
  timeLimit?: string;
}

export type FormFieldType = 'string' | 'long' | 'boolean' | 'date' | 'enum';

export interface FormFieldSpec {
  id: string;
  label?: string;
  type: FormFieldType;
  required?: boolean;
  /** A JavaScript regular expression (constraint `pattern`). */
  pattern?: string;
  /** An IIN/BIN of Kazakhstan, checked with its date part and control digit (constraint `iin-bin`, config `iin` or `bin` when only one is taken). */
  iinBin?: 'iin-or-bin' | 'iin' | 'bin';
  minlength?: number;
  maxlength?: number;
  min?: number;
  max?: number;
  defaultValue?: string;
  /** Enum values (`camunda:value`). */
  values?: { id: string; name: string }[];
  /** Form field property `multiline` = `true`: a text of several lines (a textarea). */
  multiline?: boolean;
  /** Form field property `choices`, e.g. `users-of-group:specialist`: the id of a current user of the group. */
  choices?: string;
  /** Form field property `requiredIf`, e.g. `conclusionPositive=false`: required when that field has that value. */
  requiredIf?: string;
}

export interface LaneSpec {
  id: string;
  name: string;
  documentation?: string;
  /** Candidate group of the lane: written as lane extension property `group` and used as the default `camunda:candidateGroups` of its user tasks. */
  group?: string;
  /** Number of grid rows the lane holds (default 1). Row 0 is the top one. */
  rows?: number;
}

/** Where the external label of an event or gateway goes (default `bottom`). */
export type NodeLabelPosition = 'top' | 'bottom' | 'left' | 'right';

export interface NodeSpec {
  id: string;
  type: NodeType;
  name?: string;
  documentation?: string;
  /** Lane id. */
  lane: string;
  /** Grid column of the node's centre; fractions are allowed (e.g. 11.75 puts an end event close behind a task). */
  col: number;
  /** Grid row inside the lane (default 0). */
  row?: number;
  /** User task: defaults to the lane's group. */
  candidateGroups?: string;
  /** User task: `camunda:assignee`, e.g. `${responsibleSpecialist}` (the user a users-of-group field of an earlier step chose). */
  assignee?: string;
  /** User task: extension property `timeLimit` (processes/README.md grammar). */
  timeLimit?: string;
  /** Further `camunda:property` entries (written after timeLimit). */
  properties?: Record<string, string>;
  /** Service task: External implementation topic (handler name). */
  topic?: string;
  /** Start event / user task: `camunda:formData` fields. */
  formFields?: FormFieldSpec[];
  labelPosition?: NodeLabelPosition;
  /** Call activity: the called process key. */
  calledElement?: string;
  /** Call activity: input mappings (parameters of the called flow). */
  inputs?: CallInputSpec[];
  /** End event: throw this BPMN error code (error end event). Boundary event: catch this code (omit to catch any error). */
  errorCode?: string;
  /** Boundary event: the task or call activity it is attached to (drawn on its bottom border). */
  attachedTo?: string;
  /** Boundary event: horizontal offset of the event's centre from the task's centre, in px (default 0; use e.g. -30 / +30 for two events on one task). */
  attachOffset?: number;
  /** Boundary event: `false` for a non-interrupting event (default true). */
  cancelActivity?: boolean;
  /** Boundary event or intermediate catch event: a timer. Without it a boundary event is an error event. */
  timer?: TimerSpec;
}

/**
 * How a flow is drawn (all segments horizontal or vertical):
 * - `h`: one horizontal segment (source and target on the same line);
 * - `v`: one vertical segment (target straight above or below);
 * - `hv`: leave the source to the right, turn once, enter the target from above or below;
 * - `vh`: leave the source from the top or bottom, turn once, enter the target from the left;
 * - `hvh`: right, vertical at `midCol` (default halfway), right again into the target's left side.
 * `auto` picks `h`/`v` when aligned, `vh` out of a gateway, `hv` otherwise.
 */
export type Route = 'auto' | 'h' | 'v' | 'hv' | 'vh' | 'hvh';

/** Side of the flow's first segment its label is put on. */
export type FlowLabelSide = 'above' | 'below' | 'left' | 'right';

export interface FlowSpec {
  id: string;
  source: string;
  target: string;
  name?: string;
  documentation?: string;
  /** `${...}` condition (written as a bpmn:tFormalExpression). */
  condition?: string;
  /** This flow is the default flow of its (gateway) source. */
  default?: boolean;
  route?: Route;
  /** For `hvh`: the column the vertical segment runs in. */
  midCol?: number;
  labelSide?: FlowLabelSide;
}

export interface LayoutOptions {
  /** Top-left corner of the pool. */
  poolX: number;
  poolY: number;
  /** Width of the pool's name band (lanes start right of it). */
  poolHeaderWidth: number;
  /** Distance between neighbouring column centres. */
  colWidth: number;
  /** Distance from the lanes' left edge to the centre of column 0. */
  firstColOffset: number;
  /** Distance from the right-most column centre to the pool's right edge. */
  rightMargin: number;
  /** Distance from a lane's top edge to the centre of its row 0. */
  laneTopOffset: number;
  /** Distance between the centres of two rows of one lane. */
  rowPitch: number;
  /** Distance from the centre of a lane's last row to its bottom edge. */
  laneBottomOffset: number;
}

export interface DiagramSpec {
  targetNamespace?: string;
  exporter?: string;
  exporterVersion?: string;
  definitionsId?: string;
  process: {
    id: string;
    name: string;
    documentation?: string;
    isExecutable?: boolean;
    /** `camunda:isStartableInTasklist` (false for the shared flows, which only reglaments call). */
    isStartableInTasklist?: boolean;
    /** `camunda:candidateStarterGroups`: who may start the reglament (comma-separated groups). */
    candidateStarterGroups?: string;
    properties?: Record<string, string>;
  };
  collaboration: { id: string; participant: { id: string; name: string; documentation?: string } };
  layout?: Partial<LayoutOptions>;
  lanes: LaneSpec[];
  nodes: NodeSpec[];
  flows: FlowSpec[];
}

export interface Point {
  x: number;
  y: number;
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}
