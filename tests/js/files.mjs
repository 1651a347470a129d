// Files with the npm client: commits of text files, reads, downloads and the commit history.

const space = (name) => ({ type: "space", name });

export async function uploadAndRead({ hub, opts, name, path, text }) {
  const repo = space(name);
  const upload = await hub.uploadFile({ ...opts, repo, file: { path, content: new Blob([text]) } });
  const info = await hub.fileDownloadInfo({ ...opts, repo, path });
  const blob = await hub.downloadFile({ ...opts, repo, path });
  const raw = await hub.downloadFile({ ...opts, repo, path, raw: true });
  return {
    commit: upload.commit,
    info: { size: info.size, etag: info.etag, url: info.url },
    text: await blob.text(),
    rawText: await raw.text(),
    exists: await hub.fileExists({ ...opts, repo, path }),
    missing: await hub.fileExists({ ...opts, repo, path: `missing-${path}` }),
    missingInfo: await hub.fileDownloadInfo({ ...opts, repo, path: `missing-${path}` }),
  };
}

export async function commitSeveral({ hub, opts, name }) {
  const repo = space(name);
  await hub.uploadFiles({
    ...opts,
    repo,
    files: [
      { path: "src/a.py", content: new Blob(["a = 1\n"]) },
      { path: "src/b.py", content: new Blob(["b = 2\n"]) },
    ],
  });
  await hub.commit({
    ...opts,
    repo,
    title: "Replace b with c",
    operations: [
      { operation: "delete", path: "src/b.py" },
      { operation: "addOrUpdate", path: "src/c.py", content: new Blob(["c = 3\n"]) },
    ],
  });
  await hub.deleteFile({ ...opts, repo, path: "src/a.py" });
  const phases = [];
  const progress = hub.uploadFilesWithProgress({
    ...opts,
    repo,
    files: [{ path: "tmp/x.txt", content: new Blob(["x"]) }, { path: "tmp/y.txt", content: new Blob(["y"]) }],
  });
  for await (const event of progress) if (event.event === "phase") phases.push(event.phase);
  await hub.deleteFiles({ ...opts, repo, paths: ["tmp/x.txt", "tmp/y.txt"] });
  const files = [];
  for await (const entry of hub.listFiles({ ...opts, repo, recursive: true })) files.push(entry);
  const info = await hub.pathsInfo({ ...opts, repo, paths: ["src/c.py", "nope"], expand: true });
  return { files, info, phases };
}

export async function history({ hub, opts, name, batchSize }) {
  const repo = space(name);
  const commits = [];
  for await (const commit of hub.listCommits({ ...opts, repo, batchSize })) commits.push(commit);
  return { commits, count: await hub.countCommits({ ...opts, repo }) };
}

export async function toCache({ hub, opts, name, path }) {
  const repo = space(name);
  const fs = await import("node:fs/promises");
  const file = await hub.downloadFileToCacheDir({ ...opts, repo, path });
  const snapshot = await hub.snapshotDownload({ ...opts, repo });
  return { file: await fs.readFile(file, "utf8"), snapshot: (await fs.readdir(snapshot)).sort() };
}
