import type { Queues } from '../../src/queue/queues.js';

/** A job as the intake, the letters or a person's action added it: its queue, name, data and id. */
export interface QueuedJob {
  queue: 'parse' | 'acknowledge' | 'schedule';
  name: string;
  data: unknown;
  id: string | undefined;
  /** A flow's parent runs once every child has ended. */
  children: QueuedJob[];
  state: 'waiting' | 'done' | 'failed';
  error?: unknown;
}

type QueueName = QueuedJob['queue'];
interface FlowJob {
  name: string;
  queueName: string;
  data: unknown;
  opts?: { jobId?: string };
  children?: FlowJob[];
}

/**
 * An object that has only the members it names: reaching for any other (a BullMQ method the code under test
 * started to use) fails loudly, naming it, instead of quietly doing nothing.
 */
function only<T extends object>(what: string, members: T): T {
  return new Proxy(members, {
    get(target, key, receiver) {
      if (typeof key === 'symbol' || key === 'then' || key in target)
        return Reflect.get(target, key, receiver);
      throw new Error(`${what}.${key} is not kept in memory: the operations tier has no Redis`);
    },
  });
}

/**
 * The queues of src/queue/queues.ts kept in memory, for the operations tier: what the intake and the registry's
 * operations add (`add`, a message's flow, `getJob` to find a job added before) is recorded here, never sent to
 * Redis. As in BullMQ, a job added again under its id is the same job. OperationsEnv runs what was recorded.
 */
export class InMemoryQueues {
  readonly jobs: QueuedJob[] = [];
  readonly queues: Queues;

  constructor() {
    const queue = (name: QueueName) =>
      only(`queues.${name}`, {
        name,
        add: async (jobName: string, data: unknown, opts: { jobId?: string } = {}) =>
          this.add({ queue: name, name: jobName, data, id: opts.jobId, children: [], state: 'waiting' }),
        getJob: async (id: string) => this.find(name, id),
      });
    this.queues = {
      parse: queue('parse'),
      acknowledge: queue('acknowledge'),
      schedule: queue('schedule'),
      flow: only('queues.flow', { add: async (flow: FlowJob) => this.add(this.fromFlow(flow)) }),
      close: async () => undefined,
    } as unknown as Queues;
  }

  /** The jobs of one queue still waiting, in the order they were added (a flow's children inside it). */
  waiting(queue?: QueueName): QueuedJob[] {
    return this.jobs.filter((j) => j.state === 'waiting' && (!queue || j.queue === queue));
  }

  private find(queue: QueueName, id: string): QueuedJob | undefined {
    const all = this.jobs.flatMap((j) => [j, ...j.children]);
    return all.find((j) => j.queue === queue && j.id === id);
  }

  private add(job: QueuedJob): QueuedJob {
    const known = job.id ? this.find(job.queue, job.id) : undefined;
    if (known) return known;
    this.jobs.push(job);
    return job;
  }

  private fromFlow(flow: FlowJob): QueuedJob {
    if (!['parse', 'acknowledge', 'schedule'].includes(flow.queueName))
      throw new Error(`a flow into an unknown queue: ${flow.queueName}`);
    return {
      queue: flow.queueName as QueueName,
      name: flow.name,
      data: flow.data,
      id: flow.opts?.jobId,
      children: (flow.children ?? []).map((c) => this.fromFlow(c)),
      state: 'waiting',
    };
  }
}
