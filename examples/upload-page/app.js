// A static upload page: no framework, no server of its own. Files are hashed in Web Workers and
// uploaded straight to the Hub; the page shows a bar per file and can cancel at any time.
import { createRepo, repoExists, uploadFilesWithProgress } from "../../js/dist/index.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const fragment = new URLSearchParams(location.hash.slice(1));
// Handy for local development: ?hub=…&repo=… and #token=… (the fragment never leaves the browser).
if (params.get("hub")) $("hub").value = params.get("hub");
if (params.get("repo")) $("repo").value = params.get("repo");
if (fragment.get("token")) $("token").value = fragment.get("token");

/** path → { file, row } */
const picked = new Map();

function fmtSize(n) {
  const units = ["B", "KiB", "MiB", "GiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

function addFile(file, path) {
  path = path.replace(/^\/+/, "");
  if (!path || picked.has(path)) return;
  const row = document.createElement("tr");
  row.dataset.path = path;
  row.innerHTML = `<td class="name"></td><td>${fmtSize(file.size)}</td>
    <td><progress class="hash" max="1" value="0"></progress></td>
    <td><progress class="up" max="1" value="0"></progress></td><td class="state">ready</td>`;
  row.querySelector(".name").textContent = path;
  $("list").tBodies[0].append(row);
  $("list").hidden = false;
  picked.set(path, { file, row });
  $("upload").disabled = false;
}

$("files").addEventListener("change", (e) => { for (const f of e.target.files) addFile(f, f.name); });
$("folder").addEventListener("change", (e) => { for (const f of e.target.files) addFile(f, f.webkitRelativePath || f.name); });

// Drag and drop, folders included (walked with the entries API).
async function walk(entry, prefix) {
  if (entry.isFile) {
    const file = await new Promise((ok, ko) => entry.file(ok, ko));
    addFile(file, prefix + entry.name);
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise((ok, ko) => reader.readEntries(ok, ko));
      if (!batch.length) break;
      for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
    }
  }
}
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", async (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  const entries = [...e.dataTransfer.items].map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
  if (entries.length) for (const entry of entries) await walk(entry, "");
  else for (const f of e.dataTransfer.files) addFile(f, f.name);
});

function status(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

let controller;
$("cancel").addEventListener("click", () => controller?.abort());

$("form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const hubUrl = $("hub").value.trim();
  const accessToken = $("token").value.trim();
  const repo = $("repo").value.trim();
  controller = new AbortController();
  $("upload").disabled = true;
  $("cancel").disabled = false;
  $("result").textContent = "";
  const started = performance.now();
  try {
    if (!(await repoExists({ repo, hubUrl, accessToken }))) {
      status(`creating ${repo}…`);
      await createRepo({ repo, hubUrl, accessToken });
    }
    const files = [...picked].map(([path, { file }]) => ({ path, content: file }));
    const upload = uploadFilesWithProgress({
      repo, hubUrl, accessToken, files,
      commitTitle: $("title").value.trim() || undefined,
      useWebWorkers: true,
      abortSignal: controller.signal,
    });
    let next;
    while (!(next = await upload.next()).done) {
      const ev = next.value;
      if (ev.event === "phase") { status(`${ev.phase}…`); continue; }
      const row = picked.get(ev.path)?.row;
      if (!row) continue;
      if (ev.state === "hashing") row.querySelector(".hash").value = ev.progress;
      if (ev.state === "uploading") { row.querySelector(".hash").value = 1; row.querySelector(".up").value = ev.progress; }
      if (ev.state === "committed") { row.querySelector(".hash").value = 1; row.querySelector(".up").value = 1; }
      row.querySelector(".state").textContent = ev.state;
    }
    const out = next.value;
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    status(`committed ${files.length} file(s) in ${secs} s`);
    const a = document.createElement("a");
    a.href = out.commit.url;
    a.textContent = `commit ${out.commit.oid.slice(0, 10)}`;
    a.dataset.oid = out.commit.oid;
    $("result").replaceChildren(a);
  } catch (err) {
    if (err.name === "AbortError") status("cancelled: nothing was committed", true);
    else status(`${err.code ?? err.name}: ${err.message}`, true);
  } finally {
    $("cancel").disabled = true;
    $("upload").disabled = picked.size === 0;
  }
});
