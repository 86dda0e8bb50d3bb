import { HistoryRow } from '../../../src/persistence/entities';
import { foldFlows, unfoldFlows } from '../../../src/persistence/history-flows';

/* Flows taken are stored in the activity-end row they follow and read back as the rows they were (issue 19 point 5). */
const row = (type: string, activityId: string | null, at = '2026-12-05T10:00:00.000Z', extra: Partial<HistoryRow> = {}): HistoryRow => ({ processInstanceId: 'i', at, type, activityId, activityName: null, userId: null, data: null, ...extra });
const end = (id: string, at?: string, extra?: Partial<HistoryRow>) => row('activity-end', id, at, extra);
const flow = (id: string, at?: string, extra?: Partial<HistoryRow>) => row('flow-taken', id, at, extra);
const LATER = '2026-12-05T10:00:00.130Z';

describe('flows taken in the history', () => {
  it.each<[string, HistoryRow[], (string | null)[]]>([
    ['a flow after its element’s end', [end('start'), flow('f1'), row('task-created', 'review', undefined, { data: '{"taskId":"t"}' })], [null, '{"flows":["f1"]}', null]],
    ['a gateway’s flows, one taken later', [end('gw'), flow('f1'), flow('f2', LATER)], ['{"flows":["f1",["f2",130]]}']],
    ['an end that keeps its data (a row written with the element type)', [end('a', undefined, { data: '{"type":"bpmn:Task"}' }), flow('f1')], ['{"type":"bpmn:Task","flows":["f1"]}']],
  ])('%s: stored in the end row, read back as written', (_name, written, storedData) => {
    const stored = foldFlows(written);
    expect(stored.filter((r) => r.type === 'activity-end').map((r) => r.data)).toEqual(storedData.filter((d) => d !== null));
    expect(stored.some((r) => r.type === 'flow-taken')).toBe(false);
    expect(unfoldFlows(stored)).toEqual(written);
  });

  it.each<[string, HistoryRow[], HistoryRow[]]>([
    [
      'a task’s end and flows in its completion',
      [row('task-completed', 'x', undefined, { userId: 'u', data: '{"taskId":"t"}' }), end('x', '2026-12-05T10:00:00.001Z'), flow('f1', '2026-12-05T10:00:00.001Z'), flow('f2', '2026-12-05T10:00:00.131Z')],
      [row('task-completed', 'x', undefined, { userId: 'u', data: '{"taskId":"t","end":[1,"f1",["f2",130]]}' })],
    ],
    [
      'a service’s end in its answer, the next gateway’s end and flows after it',
      [row('service-completed', 's', undefined, { data: '{"handler":"h","output":{}}' }), end('s'), flow('f1'), end('g'), flow('f2', LATER)],
      [row('service-completed', 's', undefined, { data: '{"handler":"h","output":{},"end":[0,"f1"],"then":[[0,"g",["f2",130]]]}' })],
    ],
    ['each end its own flows', [end('a'), flow('f1'), end('b', LATER), flow('f2', LATER)], [end('a', undefined, { data: '{"flows":["f1"],"then":[[130,"b","f2"]]}' })]],
    [
      'the start event’s end after the start, the next element’s end that is no completion’s after a completion',
      [row('instance-started', null, undefined, { userId: 'u', data: '{"variables":{}}' }), end('start'), flow('f1'), row('task-completed', 'x', LATER, { userId: 'u', data: '{"taskId":"t"}' }), end('y', LATER)],
      [row('instance-started', null, undefined, { userId: 'u', data: '{"variables":{},"then":[[0,"start","f1"]]}' }), row('task-completed', 'x', LATER, { userId: 'u', data: '{"taskId":"t","then":[[0,"y"]]}' })],
    ],
    ['a called flow’s return and the call’s end', [row('call-completed', 'c', undefined, { data: '{"childInstanceId":"k"}' }), end('c')], [row('call-completed', 'c', undefined, { data: '{"childInstanceId":"k","end":[0]}' })]],
    [
      'an end event’s end in its instance’s completion',
      [end('done'), row('instance-completed', 'done', LATER, { data: '{"outcome":"done"}' })],
      [row('instance-completed', 'done', LATER, { data: '{"outcome":"done","endedBefore":130}' })],
    ],
  ])('%s: stored in one row, read back as written', (_name, written, stored) => {
    expect(foldFlows(written)).toEqual(stored);
    expect(unfoldFlows(stored)).toEqual(written);
  });

  it.each<[string, HistoryRow[]]>([
    ['a flow after another kind of row', [row('call-completed', 'call'), flow('f1')]],
    ['a flow after another instance’s end', [end('a'), flow('f1', undefined, { processInstanceId: 'other' })]],
    ['a flow with data', [end('a'), flow('f1', undefined, { data: '{"x":1}' })]],
    ['a flow after an end with empty data', [end('a', undefined, { data: '{}' }), flow('f1')]],
    ['a flow after an end whose data is no object', [end('a', undefined, { data: '[1]' }), flow('f1')]],
    ['a flow after a flow kept as a row', [end('a'), flow('f0', undefined, { userId: 'u' }), flow('f1')]],
    ['an end after a row whose data is no object', [row('task-completed', 'x', undefined, { data: '"t"' }), end('x')]],
    ['an end of another instance', [row('task-completed', 'x', undefined, { data: '{"taskId":"t"}' }), end('x', undefined, { processInstanceId: 'other' })]],
    ['a flow before any end', [row('task-completed', 'x', undefined, { data: '{"taskId":"t"}' }), flow('f1')]],
    ['an end with data after a completion', [row('service-completed', 's', undefined, { data: '{"handler":"h"}' }), end('s', undefined, { data: '{"type":"bpmn:ServiceTask"}' })]],
    ['a completion after another element’s end', [end('a', undefined, { data: '{"type":"bpmn:Task"}' }), row('instance-completed', 'done', undefined, { data: '{"outcome":"done"}' })]],
    ['a completion with empty data after its end', [end('done'), row('instance-completed', 'done', undefined, { data: '{}' })]],
    ['a completion after an end of another instance', [end('done'), row('instance-completed', 'done', undefined, { processInstanceId: 'other', data: '{"outcome":"done"}' })]],
  ])('%s: stored as it is', (_name, written) => {
    const stored = foldFlows(written);
    expect(stored).toEqual(written);
    expect(unfoldFlows(stored)).toEqual(written);
  });

  it('reads rows stored before the folding as they are, and gives a read-back flow its end row’s id', () => {
    const before = [{ ...end('a'), id: 1 }, { ...flow('f1'), id: 2 }];
    expect(unfoldFlows(before)).toEqual(before);
    expect(unfoldFlows([{ ...end('a'), id: 7, data: '{"flows":["f1"]}' }])).toEqual([{ ...end('a'), id: 7 }, { ...flow('f1'), id: 7 }]);
  });
});
