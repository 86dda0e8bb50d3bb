import { Router } from 'express';
import { InstanceEntity, TaskEntity } from '../../persistence/entities';
import { queryTasks } from '../../persistence/queries';
import { visibleGroups } from '../../identity/access';
import { currentUser } from '../auth';
import { HostContext } from '../context';
import { badRequest, notFound } from '../errors';
import { bool, isoDate, oneOf, page, str } from '../params';
import { presentTask } from '../presenters';

export function taskRoutes(host: HostContext): Router {
  const router = Router();

  router.get('/tasks', async (req, res) => {
    const user = currentUser(req);
    const now = host.clock.now();
    const result = await queryTasks(host.dataSource, {
      ...page(req.query),
      visibleGroups: visibleGroups(user),
      candidateGroup: str(req.query, 'candidateGroup'),
      assignee: str(req.query, 'assignee'),
      unassigned: bool(req.query, 'unassigned'),
      processDefinitionKey: str(req.query, 'processDefinitionKey'),
      processInstanceId: str(req.query, 'processInstanceId'),
      businessKey: str(req.query, 'businessKey'),
      dueBefore: isoDate(req.query, 'dueBefore'),
      overdue: bool(req.query, 'overdue'),
      state: oneOf(req.query, 'state', ['open', 'completed', 'cancelled', 'all'] as const, 'open'),
      sortBy: oneOf(req.query, 'sortBy', ['due', 'created', 'priority', 'name'] as const, 'created'),
      sortOrder: oneOf(req.query, 'sortOrder', ['asc', 'desc'] as const, 'asc'),
      now: now.toISOString(),
    });
    res.json({ items: result.items.map((t) => presentTask(t, now)), total: result.total });
  });

  router.get('/tasks/:id', async (req, res) => {
    const user = currentUser(req);
    const task = await host.dataSource.getRepository(TaskEntity).findOne({ where: { id: req.params.id } });
    if (!task) throw notFound(`No task with id "${req.params.id}"`);
    await host.runtime.assertMayAct(task, user);
    const groups = await host.runtime.taskGroups(task.id);
    const instance = await host.dataSource.getRepository(InstanceEntity).findOne({ where: { id: task.processInstanceId } });
    const loaded = await host.definitions.load(task.definitionId);
    const model = loaded.model.userTasks.get(task.taskDefinitionKey);
    res.json({
      ...presentTask({ ...task, candidateGroups: groups }, host.clock.now()),
      documentation: model?.documentation,
      variables: instance ? JSON.parse(instance.variables) : {},
      formFields: model?.formFields ?? [],
    });
  });

  router.post('/tasks/:id/claim', async (req, res) => {
    const task = await host.runtime.claim(req.params.id, currentUser(req));
    res.json({ id: task.id, assignee: task.assignee });
  });

  router.post('/tasks/:id/unclaim', async (req, res) => {
    const task = await host.runtime.unclaim(req.params.id, currentUser(req));
    res.json({ id: task.id, assignee: task.assignee });
  });

  router.post('/tasks/:id/complete', async (req, res) => {
    const body = req.body ?? {};
    if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('The body must be a JSON object { variables? }');
    const task = await host.runtime.completeTask(req.params.id, (body as { variables?: unknown }).variables, currentUser(req));
    const instance = await host.dataSource.getRepository(InstanceEntity).findOne({ where: { id: task.processInstanceId } });
    res.json({ id: task.id, state: task.state, processInstanceId: task.processInstanceId, processInstanceState: instance?.state, outcome: instance?.outcome ?? undefined });
  });

  return router;
}
