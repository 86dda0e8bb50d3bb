import { lineOfId, parseBpmn } from '../../../src/definitions/parse';

const HEAD = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs">',
].join('\n');

function doc(...body: string[]): string {
  return [HEAD, '<bpmn:process id="p" isExecutable="true">', ...body, '</bpmn:process>', '</bpmn:definitions>'].join('\n');
}

describe('parseBpmn', () => {
  it('reads a clean document without problems', async () => {
    const parsed = await parseBpmn(doc('  <bpmn:userTask id="t" name="Task" camunda:candidateGroups="office" />'), 'clean.bpmn');
    expect(parsed.problems).toEqual([]);
    expect(parsed.file).toBe('clean.bpmn');
    expect(parsed.definitions?.$type).toBe('bpmn:Definitions');
    const task = parsed.definitions?.rootElements[0].flowElements[0];
    expect(task.$type).toBe('bpmn:UserTask');
    expect(task.get('camunda:candidateGroups')).toBe('office');
  });

  it('reports broken XML with its position and no definitions', async () => {
    const parsed = await parseBpmn(doc('  <bpmn:task id="t">'), 'broken.bpmn');
    expect(parsed.definitions).toBeUndefined();
    expect(parsed.problems).toEqual([
      { file: 'broken.bpmn', rule: 'parse', severity: 'error', message: 'XML syntax error at </bpmn:process>: closing tag mismatch', line: 5, column: 1 },
    ]);
  });

  it('reports a document that is not BPMN', async () => {
    const parsed = await parseBpmn('<html><body/></html>', 'page.html');
    expect(parsed.definitions).toBeUndefined();
    expect(parsed.problems.map((p) => p.message)).toEqual(['Unexpected element <html>', 'Not a BPMN 2.0 document: failed to parse document as <bpmn:Definitions>']);
    expect(parsed.problems.every((p) => p.rule === 'parse' && p.severity === 'error')).toBe(true);
  });

  it('reports garbage and empty input instead of throwing', async () => {
    const garbage = await parseBpmn('definitely not xml');
    expect(garbage.definitions).toBeUndefined();
    expect(garbage.problems).toEqual([{ rule: 'parse', severity: 'error', message: 'XML syntax error at definitely not xml: missing start tag', line: 1, column: 1 }]);

    const empty = await parseBpmn('   ', 'empty.bpmn');
    expect(empty).toMatchObject({ definitions: undefined, problems: [{ file: 'empty.bpmn', rule: 'parse', severity: 'error', message: 'The document is empty' }] });

    const notAString = await parseBpmn(undefined as unknown as string);
    expect(notAString.definitions).toBeUndefined();
    expect(notAString.problems).toHaveLength(1);
  });

  it('reports an unknown attribute in a known namespace with the element id and line', async () => {
    const parsed = await parseBpmn(doc('  <bpmn:userTask id="t" name="Task"', '    camunda:candidateGroup="office" />'), 'typo.bpmn');
    expect(parsed.definitions).toBeDefined();
    expect(parsed.problems).toEqual([
      { file: 'typo.bpmn', elementId: 't', rule: 'parse', severity: 'error', message: 'Unknown attribute <camunda:candidateGroup> on bpmn:UserTask', line: 4 },
    ]);
  });

  it('ignores attributes of namespaces it does not know (modeler metadata)', async () => {
    const xml = doc('  <bpmn:task id="t" xmlns:bioc2="http://example.com/x" bioc2:stroke="#000" />');
    expect((await parseBpmn(xml)).problems).toEqual([]);
  });

  it('reports an unknown element with the id of its tag and position, and still reads the rest', async () => {
    const parsed = await parseBpmn(doc('  <bpmn:task id="ok" name="Fine" />', '  <bpmn:userTsk id="typo" name="Typo" />'));
    expect(parsed.definitions?.rootElements[0].flowElements.map((e: { id: string }) => e.id)).toEqual(['ok']);
    expect(parsed.problems).toEqual([
      { rule: 'parse', severity: 'error', elementId: 'typo', message: 'Unknown element <bpmn:userTsk> (unknown type <bpmn:UserTsk>)', line: 5, column: 3 },
    ]);
  });

  it('reports an unknown Camunda extension element', async () => {
    const parsed = await parseBpmn(doc('  <bpmn:task id="t">', '    <bpmn:extensionElements><camunda:formDta /></bpmn:extensionElements>', '  </bpmn:task>'));
    expect(parsed.problems).toEqual([
      { rule: 'parse', severity: 'error', message: 'Unknown element <camunda:formDta> (unknown type <camunda:FormDta>)', line: 5, column: 29 },
    ]);
  });

  it('reports an unresolved reference with the referring element', async () => {
    const parsed = await parseBpmn(
      doc('  <bpmn:startEvent id="s" />', '  <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="missing-task" />', '  <bpmn:exclusiveGateway id="g" default="missing-flow" />'),
      'refs.bpmn',
    );
    expect(parsed.definitions).toBeDefined();
    expect(parsed.problems).toEqual([
      { file: 'refs.bpmn', elementId: 'f', rule: 'parse', severity: 'error', message: 'Unresolved reference <missing-task> in bpmn:targetRef', line: 5 },
      { file: 'refs.bpmn', elementId: 'g', rule: 'parse', severity: 'error', message: 'Unresolved reference <missing-flow> in bpmn:default', line: 6 },
    ]);
  });

  it('shares one moddle instance safely between concurrent parses', async () => {
    const results = await Promise.all([1, 2, 3, 4].map((n) => parseBpmn(doc(`  <bpmn:task id="t${n}" />`))));
    expect(results.map((r) => r.definitions?.rootElements[0].flowElements[0].id)).toEqual(['t1', 't2', 't3', 't4']);
  });
});

describe('lineOfId', () => {
  it('finds the line of the element with the id, not of references to it', () => {
    const xml = ['<a>', '  <b ref="x" />', '  <c', '     id="x" />', '</a>'].join('\n');
    expect(lineOfId(xml, 'x')).toBe(3);
    expect(lineOfId(xml, 'nope')).toBeUndefined();
    expect(lineOfId(undefined, 'x')).toBeUndefined();
  });
});
