// A Camunda 7 external-task worker as a provider's IT would run it: the real
// camunda-external-task-client-js from npm, in a process of its own, against the server's /engine-rest.
// test/integration/external-task-worker.test.ts starts it (and kills it); it reports what it did on
// stdout, one JSON line per event, so that the test can follow it.
//
// Environment: ENGINE_URL (…/engine-rest), WORKER_USER and WORKER_TOKEN (HTTP Basic), WORKER_ID, TOPIC,
// LOCK_DURATION (ms), MODE: complete (with the JSON object VARIABLES), fail (counting down from
// RETRIES), bpmn-error (ERROR_CODE, ERROR_MESSAGE) or hold (lock and never answer).
import { BasicAuthInterceptor, Client, Variables } from 'camunda-external-task-client-js';

const env = process.env;
const say = (event, data = {}) => process.stdout.write(`${JSON.stringify({ event, workerId: env.WORKER_ID, ...data })}\n`);

const client = new Client({
  baseUrl: env.ENGINE_URL,
  workerId: env.WORKER_ID,
  maxTasks: 1,
  interval: 50,
  asyncResponseTimeout: 10_000,
  lockDuration: Number(env.LOCK_DURATION ?? 60_000),
  interceptors: new BasicAuthInterceptor({ username: env.WORKER_USER, password: env.WORKER_TOKEN }),
});

client.on('poll:error', (error) => say('poll-error', { message: String(error?.message ?? error) }));

client.subscribe(env.TOPIC, async ({ task, taskService }) => {
  const seen = { id: task.id, processInstanceId: task.processInstanceId, retries: task.retries ?? null, variables: task.variables.getAll() };
  say('locked', seen);
  try {
    switch (env.MODE) {
      case 'complete': {
        const variables = new Variables();
        for (const [name, value] of Object.entries(JSON.parse(env.VARIABLES ?? '{}'))) variables.set(name, value);
        await taskService.complete(task, variables);
        say('completed', seen);
        break;
      }
      case 'fail': {
        const retries = task.retries === null || task.retries === undefined ? Number(env.RETRIES ?? 2) : task.retries - 1;
        await taskService.handleFailure(task, { errorMessage: `register unreachable (${retries} retries left)`, errorDetails: 'connect ECONNREFUSED', retries, retryTimeout: 0 });
        say('failed', { ...seen, retriesLeft: retries });
        break;
      }
      case 'bpmn-error':
        await taskService.handleBpmnError(task, env.ERROR_CODE, env.ERROR_MESSAGE);
        say('bpmn-error', seen);
        break;
      case 'hold':
        // Holds the lock and answers nothing: the test kills this process.
        break;
      default:
        say('error', { message: `unknown MODE ${env.MODE}` });
    }
  } catch (error) {
    say('refused', { ...seen, message: String(error?.message ?? error) });
  }
});
say('started');
