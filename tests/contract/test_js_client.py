"""The npm client ``@huggingface/hub`` (a second real client, pinned in ``tests/js``) against
fakehub: Spaces, files, the commit history, Jobs and scheduled jobs. The scripts it runs are
``tests/js/{spaces,files,jobs}.mjs``; ``js.run`` takes one-off snippets."""

from __future__ import annotations

from typing import Any

import pytest

from fakehub.domain.jobs.outcomes import JobOutcome
from fakehub.server import ServerThread
from tests.clients.js import JsError, JsWorker

SPACE = "fakeuser/demo"
APP = "import gradio as gr\n\ngr.Interface(lambda x: x, 'text', 'text').launch()\n"
REPO = {"type": "space", "name": SPACE}


@pytest.fixture
def space(js: JsWorker) -> str:
    js.run("await hub.createRepo({...opts, repo, sdk: 'gradio'})", repo=REPO)
    return SPACE


# -- Spaces ---------------------------------------------------------------------------------------


def test_create_repo_commits_its_files(js: JsWorker, live: ServerThread) -> None:
    out = js.call("spaces.mjs", "createWithFiles", name=SPACE, files=[["app.py", APP]])
    assert out["created"]["repoUrl"] == f"{live.url}/spaces/{SPACE}"
    assert out["listed"] == [".gitattributes", "README.md", "app.py"]
    info = out["info"]
    assert info["name"] == SPACE and info["sdk"] == "gradio"
    assert info["runtime"]["stage"] == "BUILDING"  # not NO_APP_FILE: app.py came with it
    stored = live.hub.space_store.get(SPACE)
    assert stored is not None and len(stored.commits) == 1
    assert stored.files["app.py"] == APP.encode() and info["sha"] == stored.commits[0].oid


def test_create_repo_refuses_a_binary_file(js: JsWorker, live: ServerThread) -> None:
    with pytest.raises(JsError) as caught:
        js.run(
            "await hub.createRepo({...opts, repo, files: [{path: 'w.bin', "
            "content: new Blob([new Uint8Array([0, 1, 2])])}]})",
            repo=REPO,
        )
    assert caught.value.status == 400 and "LFS/Xet" in caught.value.message
    assert live.hub.space_store.get(SPACE) is None


def test_space_info_list_and_access(js: JsWorker, space: str) -> None:
    out = js.call("spaces.mjs", "infoListAndAccess", name=space)
    assert out["info"]["name"] == space and out["info"]["sdk"] == "gradio"
    assert out["info"]["private"] is False and out["info"]["likes"] == 0
    assert [s["name"] for s in out["spaces"]] == [space]
    assert out["exists"] is True and out["missing"] is False
    assert out["whoami"] == "fakeuser"


def test_space_runtime_through_additional_fields(
    js: JsWorker, live: ServerThread, space: str
) -> None:
    live.hub.advance(600)
    info = js.run(
        "return await hub.spaceInfo({...opts, name, additionalFields: ['runtime', 'sha']})",
        name=space,
    )
    assert info["runtime"]["stage"] == "NO_APP_FILE"
    assert info["runtime"]["hardware"]["requested"] == "cpu-basic"


def test_unknown_space_and_delete(js: JsWorker, space: str) -> None:
    with pytest.raises(JsError) as caught:
        js.run("return await hub.spaceInfo({...opts, name: 'fakeuser/nope'})")
    assert caught.value.status == 404
    assert js.call("spaces.mjs", "deleteSpace", name=space) == {"exists": False}


# -- files ----------------------------------------------------------------------------------------


def test_upload_download_and_file_checks(js: JsWorker, live: ServerThread, space: str) -> None:
    out = js.call("files.mjs", "uploadAndRead", name=space, path="app.py", text=APP)
    head = live.hub.space_store.get(space)
    assert head is not None and out["commit"]["oid"] == head.commits[-1].oid
    assert out["commit"]["url"] == f"{live.url}/spaces/{space}/commit/{out['commit']['oid']}"
    assert out["text"] == APP and out["rawText"] == APP
    assert out["info"]["size"] == len(APP.encode())
    assert out["info"]["etag"].strip('"') == _blob_id(APP.encode())
    assert out["exists"] is True and out["missing"] is False
    assert out["missingInfo"] is None
    ranged = live.hub.request_log.find(method="GET", path=f"/spaces/{space}/resolve/main/app.py")
    assert 206 in [e.status for e in ranged]


def _blob_id(data: bytes) -> str:
    from fakehub.domain.spaces.tree import blob_id

    return blob_id(data)


def test_commits_deletes_and_listings(js: JsWorker, space: str) -> None:
    out = js.call("files.mjs", "commitSeveral", name=space)
    paths = {entry["path"]: entry["type"] for entry in out["files"]}
    assert paths == {
        ".gitattributes": "file",
        "README.md": "file",
        "src": "directory",
        "src/c.py": "file",
    }
    assert [entry["path"] for entry in out["info"]] == ["src/c.py"]
    assert out["info"][0]["lastCommit"]["title"] == "Replace b with c"
    assert out["phases"] == ["preuploading", "uploadingLargeFiles", "committing"]


def test_a_stale_parent_commit_is_a_412(js: JsWorker, space: str) -> None:
    with pytest.raises(JsError) as caught:
        js.run(
            "await hub.uploadFile({...opts, repo, parentCommit: 'deadbeef', "
            "file: {path: 'a.txt', content: new Blob(['a'])}})",
            repo=REPO,
        )
    assert caught.value.status == 412 and "branch was updated" in caught.value.message


def test_list_and_count_commits(js: JsWorker, space: str) -> None:
    for n in range(4):
        js.run(
            "await hub.uploadFile({...opts, repo, file: {path, content: new Blob([text])}, "
            "commitTitle: title})",
            repo=REPO,
            path=f"f{n}.txt",
            text=f"{n}\n",
            title=f"commit {n}",
        )
    out = js.call("files.mjs", "history", name=space, batchSize=2)
    titles = [c["title"] for c in out["commits"]]
    assert titles == ["commit 3", "commit 2", "commit 1", "commit 0", "initial commit"]
    assert out["count"] == 5
    assert out["commits"][0]["authors"] == [
        {"username": "fakeuser", "avatarUrl": "/avatars/fakeuser.svg"}
    ]


def test_download_to_the_cache_and_snapshot(js: JsWorker, space: str) -> None:
    js.call("files.mjs", "uploadAndRead", name=space, path="app.py", text=APP)
    out = js.call("files.mjs", "toCache", name=space, path="app.py")
    assert out["file"] == APP
    assert out["snapshot"] == [".gitattributes", "README.md", "app.py"]


def test_head_is_the_default_revision_of_space_info(js: JsWorker, space: str) -> None:
    sha = js.run(
        "return (await hub.spaceInfo({...opts, name, additionalFields: ['sha']})).sha", name=space
    )
    assert sha == js.run(
        "return (await hub.spaceInfo({...opts, name, revision: 'main', additionalFields: ['sha']})).sha",
        name=space,
    )


# -- Jobs -----------------------------------------------------------------------------------------


def test_run_inspect_and_list_jobs(js: JsWorker) -> None:
    out = js.call("jobs.mjs", "runAndInspect", namespace="fakeuser")
    job = out["job"]
    assert job["status"]["stage"] == "SCHEDULING"
    assert job["secrets"] == ["TOKEN"] and "s3cret-value" not in repr(out)
    assert out["got"]["id"] == job["id"] and out["listed"] == [job["id"]]
    assert "cpu-basic" in out["hardware"]


def test_logs_and_events_streams(js: JsWorker, live: ServerThread) -> None:
    live.hub.jobs.queue_outcomes(JobOutcome.of(logs=["one", "two"], seconds=20))
    job_id = js.call("jobs.mjs", "runAndInspect", namespace="fakeuser")["job"]["id"]
    live.hub.advance(60)
    out = js.call("jobs.mjs", "streams", namespace="fakeuser", jobId=job_id)
    assert [line["message"] for line in out["logs"]][1:] == ["one", "two"]
    stages = [event["status"]["stage"] for event in out["events"]]
    assert stages == ["SCHEDULING", "RUNNING", "COMPLETED"]
    assert all(event["timestamp"].startswith("2026-01-01T") for event in out["events"])


def test_metrics_of_a_running_job(js: JsWorker, live: ServerThread) -> None:
    job_id = js.call("jobs.mjs", "runAndInspect", namespace="fakeuser")["job"]["id"]
    live.hub.advance(10)
    sample = js.call("jobs.mjs", "firstMetric", namespace="fakeuser", jobId=job_id)
    assert sample is not None and "cpu_usage_pct" in sample


def test_cancel_and_duplicate(js: JsWorker) -> None:
    job_id = js.call("jobs.mjs", "runAndInspect", namespace="fakeuser")["job"]["id"]
    out = js.call("jobs.mjs", "cancelAndDuplicate", namespace="fakeuser", jobId=job_id)
    assert out["canceled"]["status"]["stage"] == "CANCELED"
    assert out["duplicate"]["id"] != job_id
    assert out["duplicate"]["initiator"]["type"] in ("duplicated-job", "user")


def test_unknown_job(js: JsWorker) -> None:
    with pytest.raises(JsError) as caught:
        js.run("return await hub.getJob({...opts, namespace: 'fakeuser', jobId: 'nope'})")
    assert caught.value.status == 404


def test_scheduled_jobs(js: JsWorker) -> None:
    out: dict[str, Any] = js.call("jobs.mjs", "scheduled", namespace="fakeuser")
    created = out["created"]
    assert created["schedule"] == "@hourly" and created["suspend"] is False
    assert out["suspended"]["suspend"] is True and out["resumed"]["suspend"] is False
    assert out["run"]["status"]["stage"] == "SCHEDULING"
    assert out["again"] is None  # the client maps the 409 (a run is still active) to null
    assert out["listed"] == [created["id"]] and out["left"] == []


def test_bytes_cross_both_ways(js: JsWorker, space: str) -> None:
    """``bytes`` arrive as a Uint8Array and come back as bytes (what binary uploads will use)."""
    data = "naïve café\n".encode()
    back = js.run(
        "await hub.uploadFile({...opts, repo, file: {path: 'u.txt', content: new Blob([data])}});\n"
        "const blob = await hub.downloadFile({...opts, repo, path: 'u.txt'});\n"
        "return {bytes: new Uint8Array(await blob.arrayBuffer()), sent: data}",
        repo=REPO,
        data=data,
    )
    assert back == {"bytes": data, "sent": data}


def test_an_empty_file_cannot_be_probed_with_a_range(js: JsWorker) -> None:
    """``fileDownloadInfo`` asks ``bytes=0-0``; an empty file has no byte 0, so fakehub answers
    416 (RFC 9110) and the npm client throws: a documented limit, never a wrong size."""
    js.run(
        "await hub.createRepo({...opts, repo, files: [{path: 'empty.txt', content: new Blob([])}]})",
        repo=REPO,
    )
    assert js.run("return await hub.fileExists({...opts, repo, path: 'empty.txt'})", repo=REPO)
    with pytest.raises(JsError) as caught:
        js.run("return await hub.fileDownloadInfo({...opts, repo, path: 'empty.txt'})", repo=REPO)
    assert caught.value.status == 416


# -- what fakehub refuses, and the inventory of the client's exports ------------------------------

REFUSED_CALLS = {
    "createBranch": "await hub.createBranch({...opts, repo, branch: 'dev'})",
    "deleteBranch": "await hub.deleteBranch({...opts, repo, branch: 'dev'})",
    "modelInfo": "await hub.modelInfo({...opts, name: 'a/b'})",
    "datasetInfo": "await hub.datasetInfo({...opts, name: 'a/b'})",
    "listModels": "for await (const m of hub.listModels({...opts})) {}",
    "listDatasets": "for await (const d of hub.listDatasets({...opts})) {}",
    "listCollections": "for await (const c of hub.listCollections({...opts})) {}",
    "createCollection": "await hub.createCollection({...opts, collection: {title: 't', namespace: 'fakeuser'}})",
    "deleteCollection": "await hub.deleteCollection({...opts, slug: 'fakeuser/t-0123456789abcdef01234567'})",
}


@pytest.mark.parametrize("call", sorted(REFUSED_CALLS))
def test_routes_fakehub_does_not_fake_answer_501(js: JsWorker, space: str, call: str) -> None:
    with pytest.raises(JsError) as caught:
        js.run(REFUSED_CALLS[call], repo=REPO)
    assert caught.value.status == 501 and "fakehub does not implement" in caught.value.message


#: Every function the package exports, by what the tests here do with it. A new client version
#: that adds one fails ``test_every_export_is_classified`` until it is tested or classified.
EXPORTS = {
    "tested": """cancelJob checkRepoAccess commit commitIter countCommits createRepo
        createScheduledJob deleteFile deleteFiles deleteRepo deleteScheduledJob downloadFile
        downloadFileToCacheDir duplicateJob fileDownloadInfo fileExists getJob getScheduledJob
        listCommits listFiles listJobHardware listJobs listScheduledJobs listSpaces pathsInfo
        repoExists resumeScheduledJob runJob runScheduledJob snapshotDownload spaceInfo
        streamJobEvents streamJobLogs streamJobMetrics suspendScheduledJob uploadFile uploadFiles
        uploadFilesWithProgress whoAmI""",
    "501 (not faked: branches, models, datasets, collections, buckets)": """createBranch
        deleteBranch modelInfo datasetInfo listModels listDatasets listCollections
        createCollection deleteCollection commitIterBucket parseSafetensorsMetadata""",
    "client-side only for Spaces (copies need a bucket destination)": """copyFile copyFileIter
        copyFiles copyFilesIter copyFolder copyFolderIter""",
    "no request (OAuth in a browser, cache scans, parsers, errors)": """oauthHandleRedirect
        oauthHandleRedirectIfPresent oauthLoginUrl scanCacheDir scanCachedRepo scanRefsDir
        scanSnapshotDir getBlobStat getHFHubCachePath getRepoFolderName parseRepoType
        relativeUnderFolder globMatch streamJson computeNumOfParamsByDtypeSingleFile
        encodeShardFilename assertSafeShardFilename getQuantizationMultiplier isQuantizedTensor
        matchesCompressedTensorsTarget parseSafetensorsShardFilename parseTotalParameters
        validateTensorEntry __internal_XetBlob __internal_sha256 HubApiError
        InvalidApiResponseFormatError JsonStreamParseError SafetensorParseError""",
}


def test_every_export_is_classified(js: JsWorker) -> None:
    exported = js.run("return Object.keys(hub).filter((k) => typeof hub[k] === 'function')")
    classified = [name for names in EXPORTS.values() for name in names.split()]
    assert len(classified) == len(set(classified))
    assert sorted(exported) == sorted(classified)
