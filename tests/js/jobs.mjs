// Jobs and scheduled jobs with the npm client. Streams are read to their end: fakehub closes
// them once the job is finished, so the test advances the virtual clock first.

async function collect(iterable) {
  const items = [];
  for await (const item of iterable) items.push(item);
  return items;
}

export async function runAndInspect({ hub, opts, namespace }) {
  const job = await hub.runJob({
    ...opts,
    namespace,
    dockerImage: "python:3.12",
    command: ["python", "-c", "print('hello')"],
    flavor: "cpu-basic",
    environment: { FOO: "bar" },
    secrets: { TOKEN: "s3cret-value" },
    labels: { team: "ml" },
  });
  return {
    job,
    got: await hub.getJob({ ...opts, namespace, jobId: job.id }),
    listed: (await hub.listJobs({ ...opts, namespace })).map((j) => j.id),
    hardware: (await hub.listJobHardware({ ...opts })).map((f) => f.name),
  };
}

export async function streams({ hub, opts, namespace, jobId }) {
  const logs = await collect(hub.streamJobLogs({ ...opts, namespace, jobId }));
  const events = await collect(hub.streamJobEvents({ ...opts, namespace, jobId }));
  return {
    logs: logs.map((line) => ({ message: line.message, timestamp: line.timestamp.toISOString() })),
    events: events.map((data) => JSON.parse(data)),
  };
}

export async function firstMetric({ hub, opts, namespace, jobId }) {
  for await (const data of hub.streamJobMetrics({ ...opts, namespace, jobId })) {
    return JSON.parse(data); // the stream follows a running job: stop after one sample
  }
  return null;
}

export async function cancelAndDuplicate({ hub, opts, namespace, jobId }) {
  const canceled = await hub.cancelJob({ ...opts, namespace, jobId });
  const duplicate = await hub.duplicateJob({ ...opts, namespace, jobId });
  return { canceled, duplicate };
}

export async function scheduled({ hub, opts, namespace }) {
  const created = await hub.createScheduledJob({
    ...opts,
    namespace,
    schedule: "@hourly",
    jobSpec: { dockerImage: "python:3.12", command: ["python", "-c", "1"], flavor: "cpu-basic" },
  });
  const jobId = created.id;
  await hub.suspendScheduledJob({ ...opts, namespace, jobId });
  const suspended = await hub.getScheduledJob({ ...opts, namespace, jobId });
  await hub.resumeScheduledJob({ ...opts, namespace, jobId });
  const resumed = await hub.getScheduledJob({ ...opts, namespace, jobId });
  const run = await hub.runScheduledJob({ ...opts, namespace, jobId });
  const again = await hub.runScheduledJob({ ...opts, namespace, jobId }); // null on a 409
  const listed = (await hub.listScheduledJobs({ ...opts, namespace })).map((j) => j.id);
  await hub.deleteScheduledJob({ ...opts, namespace, jobId });
  const left = (await hub.listScheduledJobs({ ...opts, namespace })).map((j) => j.id);
  return { created, suspended, resumed, run, again, listed, left };
}
