// Spaces with the npm client: create (with files), info, list, access checks, delete.
// Each export takes {hub, opts, ...vars} (see worker.mjs) and returns what the test checks.

export async function createWithFiles({ hub, opts, name, files }) {
  const repo = { type: "space", name };
  const created = await hub.createRepo({
    ...opts,
    repo,
    sdk: "gradio",
    files: files.map(([path, text]) => ({ path, content: new Blob([text]) })),
  });
  const info = await hub.spaceInfo({ ...opts, name, additionalFields: ["sha", "runtime", "cardData"] });
  const listed = [];
  for await (const entry of hub.listFiles({ ...opts, repo, recursive: true })) listed.push(entry.path);
  return { created, info, listed };
}

export async function infoListAndAccess({ hub, opts, name }) {
  const repo = { type: "space", name };
  const info = await hub.spaceInfo({ ...opts, name });
  const spaces = [];
  for await (const space of hub.listSpaces({ ...opts, search: { owner: name.split("/")[0] } })) {
    spaces.push(space);
  }
  await hub.checkRepoAccess({ ...opts, repo });
  return {
    info,
    spaces,
    exists: await hub.repoExists({ ...opts, repo }),
    missing: await hub.repoExists({ ...opts, repo: { type: "space", name: `${name}-missing` } }),
    whoami: (await hub.whoAmI({ ...opts })).name,
  };
}

export async function deleteSpace({ hub, opts, name }) {
  const repo = { type: "space", name };
  await hub.deleteRepo({ ...opts, repo });
  return { exists: await hub.repoExists({ ...opts, repo }) };
}
