import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULT_KINDS } from '../../../src/documents/result-pdf';
import { describeProcess, executableProcesses, grantedIfConditions, ProcessModel, SIGNED_DOCUMENT_KINDS, signedKindOf } from '../../../src/definitions/model';
import { parseBpmn } from '../../../src/definitions/parse';

const FIXTURE = join(__dirname, '../../fixtures/lint/full/valid-licence.bpmn');

async function load(xml: string): Promise<ProcessModel> {
  const parsed = await parseBpmn(xml);
  expect(parsed.problems).toEqual([]);
  return describeProcess(parsed.definitions!);
}

describe('describeProcess', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await load(readFileSync(FIXTURE, 'utf8'));
  });

  it('describes the executable process', () => {
    expect(model.key).toBe('test-licence');
    expect(model.name).toBe('Сынақ лицензиясын беру');
    expect(model.documentation).toBe('Test licence: a compact reglament with every convention in it.');
  });

  it('lists the lanes with their groups', () => {
    expect(model.lanes).toEqual([
      { id: 'lane-office', name: 'Кеңсе', group: 'office' },
      { id: 'lane-specialist', name: 'Бөлімнің маманы', group: 'specialist' },
      { id: 'lane-head', name: 'Басшы', group: 'head' },
    ]);
  });

  it('reads the start form with types and constraints', () => {
    expect(model.startFormFields).toEqual([
      { id: 'iin', label: 'ЖСН', type: 'string', required: true, pattern: '^\\d{12}$' },
      {
        id: 'variant',
        label: 'Түрі',
        type: 'enum',
        required: true,
        defaultValue: 'new',
        values: [
          { id: 'new', name: 'Лицензия беру' },
          { id: 'duplicate', name: 'Телнұсқа' },
        ],
      },
      { id: 'employees', label: 'Қызметкерлер саны', type: 'long', required: false, min: 1, max: 1000 },
      { id: 'submittedOn', label: 'Күні', type: 'date', required: false },
    ]);
  });

  it('describes user tasks: groups, time limit, form, lane, documentation', () => {
    expect([...model.userTasks.keys()]).toEqual(['accept-documents', 'review-application', 'sign-licence']);
    expect(model.userTasks.get('accept-documents')).toEqual({
      id: 'accept-documents',
      type: 'bpmn:UserTask',
      name: 'Құжаттарды қабылдау',
      documentation: 'Accept and register the documents.\n\nSource: test, pt. 5 step 1.',
      laneId: 'lane-office',
      laneName: 'Кеңсе',
      candidateGroups: ['office'],
      candidateUsers: [],
      timeLimit: '30 minutes',
      formFields: [
        { id: 'documentsComplete', label: 'Құжаттар толық', type: 'boolean', required: true },
        { id: 'comment', label: 'Түсініктеме', type: 'string', required: false, minlength: 2, maxlength: 500 },
      ],
    });
    expect(model.userTasks.get('review-application')).toMatchObject({ candidateGroups: ['specialist'], timeLimit: '7 working days', laneId: 'lane-specialist' });
    expect(model.userTasks.get('review-application')?.formFields[0]).toEqual({
      id: 'decision',
      label: 'Шешім',
      type: 'enum',
      required: true,
      values: [
        { id: 'approve', name: 'Беру' },
        { id: 'refuse', name: 'Бас тарту' },
      ],
    });
  });

  it('gives a task inside a sub-process the lane of the sub-process', () => {
    expect(model.userTasks.get('sign-licence')).toEqual({
      id: 'sign-licence',
      type: 'bpmn:UserTask',
      name: 'Лицензияға қол қою',
      laneId: 'lane-head',
      laneName: 'Басшы',
      candidateGroups: ['head'],
      candidateUsers: [],
      timeLimit: 'same working day',
      formFields: [],
    });
  });

  it('describes service tasks by handler topic', () => {
    expect([...model.serviceTasks.values()].map((t) => [t.id, t.handler, t.laneId])).toEqual([
      ['assign-number', 'registry.assign-number', 'lane-office'],
      ['issue-refusal', 'refusal.issue', 'lane-specialist'],
      ['issue-licence', 'licence.issue', 'lane-head'],
    ]);
  });

  it('describes call activities', () => {
    expect(model.callActivities.get('check-qualification')).toEqual({
      id: 'check-qualification',
      type: 'bpmn:CallActivity',
      name: 'Біліктілікті тексеру',
      laneId: 'lane-specialist',
      laneName: 'Бөлімнің маманы',
      calledElement: 'test-qualification-check',
      inputs: [],
    });
  });

  it('lists end events (outcomes), including those of sub-processes', () => {
    expect([...model.endEvents.keys()]).toEqual(['refused-incomplete-documents', 'refused', 'signed', 'licence-issued']);
    expect(model.endEvents.get('licence-issued')).toMatchObject({ type: 'bpmn:EndEvent', name: 'Лицензия берілді', laneId: 'lane-head' });
  });

  it('lists every flow node and sequence flow, including inside sub-processes', () => {
    expect(model.elements.size).toBe(16 + 14);
    expect(model.elements.get('flow-incomplete')).toEqual({ id: 'flow-incomplete', type: 'bpmn:SequenceFlow', name: 'Толық емес', documentation: 'Documents incomplete.' });
    expect(model.elements.get('flow-signing-start')).toEqual({ id: 'flow-signing-start', type: 'bpmn:SequenceFlow' });
    expect(model.elements.get('documents-complete')).toMatchObject({ type: 'bpmn:ExclusiveGateway', laneId: 'lane-office' });
    expect(model.elements.get('signing')).toMatchObject({ type: 'bpmn:SubProcess', laneId: 'lane-head' });
    expect(model.elements.get('signed')).toMatchObject({ type: 'bpmn:EndEvent', laneId: 'lane-head' });
    expect(model.elements.has('lane-office')).toBe(false);
  });
});

describe('describeProcess edge cases', () => {
  const head =
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs">';

  it('picks the executable process and ignores others', async () => {
    const parsed = await parseBpmn(
      `${head}<bpmn:process id="applicant" isExecutable="false"><bpmn:userTask id="other" /></bpmn:process><bpmn:process id="main" isExecutable="true"><bpmn:userTask id="only" /></bpmn:process></bpmn:definitions>`,
    );
    expect(executableProcesses(parsed.definitions!).map((p) => p.id)).toEqual(['main']);
    const model = describeProcess(parsed.definitions!);
    expect(model.key).toBe('main');
    expect([...model.elements.keys()]).toEqual(['only']);
  });

  it('reads candidate lists, non-external service tasks and nested lanes', async () => {
    const model = await load(
      `${head}<bpmn:process id="main" isExecutable="true">
        <bpmn:laneSet id="ls">
          <bpmn:lane id="outer" name="Outer">
            <bpmn:flowNodeRef>task</bpmn:flowNodeRef>
            <bpmn:childLaneSet id="cls">
              <bpmn:lane id="inner" name="Inner"><bpmn:flowNodeRef>task</bpmn:flowNodeRef></bpmn:lane>
            </bpmn:childLaneSet>
          </bpmn:lane>
        </bpmn:laneSet>
        <bpmn:userTask id="task" camunda:candidateGroups=" office , head,, " camunda:candidateUsers="alice,bob">
          <bpmn:extensionElements><camunda:properties><camunda:property name="other" value="x" /></camunda:properties></bpmn:extensionElements>
        </bpmn:userTask>
        <bpmn:serviceTask id="java" camunda:class="kz.Foo" />
        <bpmn:callActivity id="call" />
      </bpmn:process></bpmn:definitions>`,
    );
    expect(model.userTasks.get('task')).toEqual({
      id: 'task',
      type: 'bpmn:UserTask',
      laneId: 'inner',
      laneName: 'Inner',
      candidateGroups: ['office', 'head'],
      candidateUsers: ['alice', 'bob'],
      formFields: [],
    });
    expect(model.lanes).toEqual([
      { id: 'outer', name: 'Outer' },
      { id: 'inner', name: 'Inner' },
    ]);
    expect(model.serviceTasks.get('java')).toEqual({ id: 'java', type: 'bpmn:ServiceTask', properties: {} });
    expect(model.callActivities.get('call')).toEqual({ id: 'call', type: 'bpmn:CallActivity', inputs: [] });
    expect(model.startFormFields).toEqual([]);
  });

  it.each([
    ['nothing stated (Camunda defaults)', '', { startableInTasklist: true, candidateStarterGroups: [], candidateStarterUsers: [] }],
    ['a flow only call activities start', 'camunda:isStartableInTasklist="false"', { startableInTasklist: false, candidateStarterGroups: [], candidateStarterUsers: [] }],
    ['candidate starters', 'camunda:candidateStarterGroups=" office , state-corporation,," camunda:candidateStarterUsers="aigerim"', { startableInTasklist: true, candidateStarterGroups: ['office', 'state-corporation'], candidateStarterUsers: ['aigerim'] }],
  ])('reads who may start the process: %s', async (_name, attributes, expected) => {
    const model = await load(`${head}<bpmn:process id="main" isExecutable="true" ${attributes} /></bpmn:definitions>`);
    expect({ startableInTasklist: model.startableInTasklist, candidateStarterGroups: model.candidateStarterGroups, candidateStarterUsers: model.candidateStarterUsers }).toEqual(expected);
  });

  it('throws when there is no executable process', async () => {
    const parsed = await parseBpmn(`${head}<bpmn:process id="p" isExecutable="false" /></bpmn:definitions>`);
    expect(() => describeProcess(parsed.definitions!)).toThrow('no executable process');
  });
});

describe('form field properties and the assignee, as a modeler writes them (issue 17)', () => {
  it('reads multiline, choices, requiredIf and camunda:assignee; an expression other than ${variable} is no assignee', async () => {
    const task = (id: string, assignee: string, fields: string) =>
      `<bpmn:userTask id="${id}" camunda:assignee="${assignee}" camunda:candidateGroups="specialist"><bpmn:extensionElements><camunda:formData>${fields}</camunda:formData></bpmn:extensionElements></bpmn:userTask>`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="props" isExecutable="true">
    ${task('choose', 'dana', '<camunda:formField id="responsibleSpecialist" type="string"><camunda:properties><camunda:property id="choices" value="users-of-group:specialist" /></camunda:properties></camunda:formField><camunda:formField id="note" type="string"><camunda:properties><camunda:property id="multiline" value="true" /></camunda:properties></camunda:formField>')}
    ${task('conclude', '${responsibleSpecialist}', '<camunda:formField id="positive" type="boolean" /><camunda:formField id="text" type="string"><camunda:properties><camunda:property id="multiline" value="false" /><camunda:property id="requiredIf" value="positive = false" /></camunda:properties></camunda:formField>')}
    ${task('scripted', '${users.pick()}', '')}
  </bpmn:process>
</bpmn:definitions>`;
    const model = await load(xml);
    expect(model.userTasks.get('choose')).toMatchObject({
      assignee: { user: 'dana' },
      formFields: [
        { id: 'responsibleSpecialist', type: 'string', required: false, choices: { usersOfGroup: 'specialist' } },
        { id: 'note', type: 'string', required: false, multiline: true },
      ],
    });
    const conclude = model.userTasks.get('conclude')!;
    expect(conclude.assignee).toEqual({ variable: 'responsibleSpecialist' });
    expect(conclude.formFields[1]).toEqual({ id: 'text', type: 'string', required: false, requiredIf: { field: 'positive', value: 'false' } });
    expect(model.userTasks.get('scripted')!.assignee).toBeUndefined();
  });
});

describe('the document a signing step signs', () => {
  it('reads signs and grantedIf, and signs the refusal wherever the service is not granted', async () => {
    const parsed = await parseBpmn(readFileSync(join(__dirname, '../../fixtures/lint/signing-step/valid.bpmn'), 'utf8'));
    const model = describeProcess(parsed.definitions!);
    const fixed = model.userTasks.get('sign-fixed')!;
    const onBoolean = model.userTasks.get('sign-on-boolean')!;
    const onEnum = model.userTasks.get('sign-on-enum')!;
    expect(fixed).toMatchObject({ signs: 'licence' });
    expect(fixed.grantedIf).toBeUndefined();
    const onBoth = model.userTasks.get('sign-on-both')!;
    expect(onBoolean).toMatchObject({ signs: 'certificate', grantedIf: [{ variable: 'requirementsMet', value: 'true' }] });
    expect(onEnum).toMatchObject({ signs: 'licence', grantedIf: [{ variable: 'decision', value: 'issued' }] });
    expect(onBoth).toMatchObject({ signs: 'licence', grantedIf: [{ variable: 'requirementsMet', value: 'true' }, { variable: 'decision', value: 'issued' }] });

    expect(signedKindOf(fixed, { decision: 'refused' })).toBe('licence');
    expect(signedKindOf(onBoolean, { requirementsMet: false })).toBe('refusal');
    expect(signedKindOf(onBoolean, { requirementsMet: true })).toBe('certificate');
    expect(signedKindOf(onEnum, { decision: 'refused' })).toBe('refusal');
    expect(signedKindOf(onEnum, { decision: 'issued' })).toBe('licence');
    // Nothing granted (no step recorded a decision, e.g. a refusal for incomplete documents): the refusal.
    expect(signedKindOf(onEnum, {})).toBe('refusal');
    expect(signedKindOf(onEnum, { decision: null })).toBe('refusal');
    expect(signedKindOf(model.userTasks.get('check')!, { decision: 'refused' })).toBeUndefined();

    // Several conditions: the signs document only where every one holds.
    expect(signedKindOf(onBoth, { requirementsMet: true, decision: 'issued' })).toBe('licence');
    expect(signedKindOf(onBoth, { requirementsMet: false, decision: 'issued' })).toBe('refusal');
    expect(signedKindOf(onBoth, { requirementsMet: true, decision: 'refused' })).toBe('refusal');
    expect(signedKindOf(onBoth, { requirementsMet: true })).toBe('refusal');
  });

  it('reads no grantedIf where one of its conditions is malformed, so no half of it decides', () => {
    expect(grantedIfConditions('testPassed=true;attestatGranted=true')).toEqual([
      { field: 'testPassed', value: 'true' },
      { field: 'attestatGranted', value: 'true' },
    ]);
    expect(grantedIfConditions(' decision = issued ')).toEqual([{ field: 'decision', value: 'issued' }]);
    expect(grantedIfConditions('requirementsMet=true;')).toBeUndefined();
    expect(grantedIfConditions('requirementsMet=true;${decision}')).toBeUndefined();
    expect(grantedIfConditions(undefined)).toBeUndefined();
  });

  it('knows exactly the kinds the server renders', () => {
    expect([...SIGNED_DOCUMENT_KINDS]).toEqual([...RESULT_KINDS]);
  });
});
