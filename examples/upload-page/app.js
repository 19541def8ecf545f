// A static upload page: no framework, no server of its own. Visitors sign in with Hugging Face
// (OAuth with PKCE: no token to paste, none ever reaches a server of ours), pick one of their
// repos or name a new one, and drop files: they are hashed in Web Workers and uploaded straight
// to the Hub, with a bar per file; the upload can be cancelled at any time. A personal access
// token still works, for people who have one.
import {
  createRepo, listModels, oauthHandleRedirectIfPresent, oauthLoginUrl, repoExists, uploadFilesWithProgress,
} from "../../js/dist/index.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const fragment = new URLSearchParams(location.hash.slice(1));
// Handy for local development: ?hub=…&repo=… and #token=… (the fragment never leaves the browser).
if (params.get("hub")) $("hub").value = params.get("hub");
if (params.get("repo")) $("repo").value = params.get("repo");
if (fragment.get("token")) $("token").value = fragment.get("token");

// ---- Sign in with Hugging Face ----------------------------------------------------------------
// The OAuth app: `?clientId=` (yours, registered on the Hub with this page's URL as redirect URI),
// or the one every local Hub (tests/hub-server) knows.
const clientId = params.get("clientId") ?? "hubwasm-local";
const SESSION = "hubwasm-upload-page";
/** { hubUrl, repo? } kept while the browser is at the Hub; then { accessToken, expiresAt, user, ... }. */
const session = () => JSON.parse(sessionStorage.getItem(SESSION) ?? "null");
let signedIn; // { accessToken, expiresAt, user, avatar, owners }

function showAccount() {
  const s = signedIn;
  $("signed-out").hidden = Boolean(s);
  $("signed-in").hidden = !s;
  $("token-field").hidden = Boolean(s);
  if (!s) return;
  $("who").textContent = s.user;
  $("avatar").src = s.avatar ?? "";
  $("expires").textContent = `(until ${new Date(s.expiresAt).toLocaleTimeString()})`;
}

$("signin").addEventListener("click", async () => {
  const hubUrl = $("hub").value.trim();
  // Where to come back to is this page without its query; the Hub URL and repo wait here.
  sessionStorage.setItem(SESSION, JSON.stringify({ hubUrl, repo: $("repo").value.trim() }));
  try {
    location.href = await oauthLoginUrl({
      hubUrl, clientId, redirectUrl: location.origin + location.pathname,
      scopes: "openid profile read-repos write-repos manage-repos",
    });
  } catch (err) {
    status(`${err.code ?? err.name}: ${err.message}`, true);
  }
});

$("signout").addEventListener("click", () => {
  sessionStorage.removeItem(SESSION);
  signedIn = undefined;
  showAccount();
});

/** The user's and their organizations' models, offered in the repo field. */
async function suggestRepos(hubUrl) {
  const names = [];
  for (const owner of signedIn.owners) {
    for await (const m of listModels({ hubUrl, accessToken: signedIn.accessToken, search: { owner }, limit: 50 })) names.push(m.name);
  }
  $("repos").replaceChildren(...names.map((n) => Object.assign(document.createElement("option"), { value: n })));
  if (!$("repo").value) $("repo").value = names[0] ?? `${signedIn.user}/my-model`;
}

async function restoreSession() {
  const saved = session();
  if (saved?.hubUrl) $("hub").value = saved.hubUrl;
  if (saved?.repo && !$("repo").value) $("repo").value = saved.repo;
  try {
    // Back from the Hub with ?code=… (or ?error=…): finish the sign-in, then drop the code from
    // the address bar so a reload does not try it again.
    const out = await oauthHandleRedirectIfPresent({ hubUrl: $("hub").value.trim() });
    if (out) {
      const u = out.userInfo;
      signedIn = {
        accessToken: out.accessToken, expiresAt: out.accessTokenExpiresAt.getTime(), user: u.preferred_username,
        avatar: u.picture, owners: [u.preferred_username, ...(u.orgs ?? []).map((o) => o.preferred_username)],
      };
      sessionStorage.setItem(SESSION, JSON.stringify({ ...saved, ...signedIn }));
    } else if (saved?.accessToken && saved.expiresAt > Date.now()) {
      signedIn = saved;
    }
  } catch (err) {
    status(`sign-in failed: ${err.code ?? err.name}: ${err.message}`, true);
  }
  if (params.has("code") || params.has("error")) history.replaceState(null, "", location.pathname + location.hash);
  showAccount();
  if (signedIn) await suggestRepos($("hub").value.trim()).catch(() => {});
}

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
  if (signedIn && signedIn.expiresAt <= Date.now()) {
    signedIn = undefined;
    showAccount();
    status("your sign-in has expired: sign in again", true);
    return;
  }
  const accessToken = signedIn?.accessToken ?? $("token").value.trim();
  if (!accessToken) { status("sign in with Hugging Face, or paste an access token", true); return; }
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

restoreSession();
