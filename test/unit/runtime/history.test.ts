import type { ElementModel } from '../../../src/definitions/model';
import { historyRow, withElementNames } from '../../../src/runtime/history';
import type { HistoryRow } from '../../../src/persistence/entities';

/* Issue 19 point 5: rows store no element name or type; readers take both from the deployed definition. */
const AT = new Date('2026-12-05T06:00:00.000Z');
const elements = new Map<string, ElementModel>([
  ['check', { id: 'check', type: 'bpmn:UserTask', name: 'Өтінішті тексеру' }],
  ['to-check', { id: 'to-check', type: 'bpmn:SequenceFlow' }],
]);
const row = (type: string, activityId: string | null, activityName: string | null, data: unknown): HistoryRow => ({ ...historyRow(AT, 'i-1', type, activityId, null, data), activityName });

describe('history rows named from the definition', () => {
  it('writes no element name', () => {
    expect(historyRow(AT, 'i-1', 'task-created', 'check', 'u', { taskId: 't' }).activityName).toBeNull();
  });

  it.each([
    ['a new activity-end: name and type from the element', row('activity-end', 'check', null, undefined), 'Өтінішті тексеру', { type: 'bpmn:UserTask' }],
    ['a new activity-end with data of its own keeps it beside the type', row('activity-end', 'check', null, { x: 1 }), 'Өтінішті тексеру', { x: 1, type: 'bpmn:UserTask' }],
    ['an old activity-end keeps its stored name and type', row('activity-end', 'check', 'Бұрынғы атау', { type: 'bpmn:Task' }), 'Бұрынғы атау', { type: 'bpmn:Task' }],
    ['another row of an element: its name, data as stored', row('task-created', 'check', null, { taskId: 't' }), 'Өтінішті тексеру', { taskId: 't' }],
    ['an element with no name stays unnamed', row('flow-taken', 'to-check', null, undefined), null, null],
    ['a row of no element stays as it is', row('instance-started', null, null, { variables: {} }), null, { variables: {} }],
    ['an id the definition does not have stays as it is', row('activity-end', 'gone', null, undefined), null, null],
  ])('%s', (_case, stored, name, data) => {
    const [read] = withElementNames([stored], { elements });
    expect({ name: read.activityName, data: read.data === null ? null : JSON.parse(read.data) }).toEqual({ name, data });
  });
});
