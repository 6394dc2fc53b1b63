// The admin page works without this file; it adds keyboard and convenience:
// "/" focuses the search, the search applies itself as you type (debounced;
// the page says so; the other filters wait for Apply), Copy buttons,
// confirmations, and imports with progress.
"use strict";

(function () {
  const search = document.querySelector("[data-search]");
  const filters = document.getElementById("filters");

  document.addEventListener("keydown", (e) => {
    const t = e.target;
    const typing = t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;
    if (e.key === "/" && search && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      search.focus();
      search.select();
    }
  });

  // A new search or filter starts again at page 1.
  function apply() {
    const page = filters.querySelector("input[name=page]");
    if (page) page.remove();
    filters.requestSubmit();
  }

  if (search && filters) {
    let timer;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(apply, 300);
    });
    // After a search reloads the page, typing goes on where it was.
    if (search.value && document.activeElement === document.body && new URLSearchParams(location.search).has("q")) {
      search.focus();
      search.setSelectionRange(search.value.length, search.value.length);
    }
  }
  // Said aloud too: a button's aria-label would hide its new text.
  const announce = document.getElementById("announce");
  const say = (text) => { if (announce) announce.textContent = text; };
  for (const b of document.querySelectorAll("button[data-copy]")) {
    b.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(b.dataset.copy);
        const was = b.textContent;
        b.textContent = "Copied";
        say("Copied to the clipboard.");
        setTimeout(() => { b.textContent = was; }, 1500);
      } catch {
        b.textContent = "Select and copy";
        say("The clipboard is not available: select the text and copy it.");
      }
    });
  }

  for (const f of document.querySelectorAll("form[data-confirm]")) {
    f.addEventListener("submit", (e) => {
      if (!window.confirm(f.dataset.confirm)) e.preventDefault();
    });
  }

  // A file, or the pasted text, goes to the streaming import: one answer line
  // per batch the server has imported, for the progress bar and the counts.
  const upload = document.getElementById("import-file");
  const paste = document.getElementById("import-paste");
  function send(body, label) {
    const box = document.getElementById("import-progress");
    const bar = document.getElementById("import-bar");
    const status = document.getElementById("import-status");
    box.hidden = false;
    bar.removeAttribute("value");
    status.textContent = "Sending " + label + "…";
    // XMLHttpRequest, not fetch: it reports the upload's progress, and the
    // answer's lines as they arrive.
    const xhr = new XMLHttpRequest();
    xhr.open("POST", upload.dataset.endpoint);
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.setRequestHeader("X-CSRF-Token", upload.dataset.csrf);
    xhr.upload.onprogress = (p) => {
      if (p.lengthComputable) {
        bar.max = p.total;
        bar.value = p.loaded;
        status.textContent = "Sending: " + Math.round((100 * p.loaded) / p.total) + "%";
      }
    };
    let last = null;
    const show = () => {
      const lines = xhr.responseText.split("\n").filter((l) => l.trim());
      if (!lines.length) return;
      try { last = JSON.parse(lines[lines.length - 1]); } catch { return; }
      if (last.total) {
        bar.max = last.total;
        bar.value = last.done;
      }
      let text = last.done + " of " + last.total + " customers imported: " + last.created + " created, " + last.skipped + " skipped.";
      if (last.error) text = last.error + " " + (last.total ? text : "");
      status.textContent = text;
    };
    xhr.onprogress = show;
    xhr.onload = () => {
      show();
      // A session that ended is redirected to the sign-in page, which has no lines.
      if (!last && xhr.responseURL.includes("/signin")) status.textContent = "Your session ended: sign in again, then import again.";
      else if (xhr.status >= 400 && !last) status.textContent = "The import was refused (HTTP " + xhr.status + ").";
      else if (last && !last.error) status.textContent = "Done. " + status.textContent;
    };
    xhr.onerror = () => { status.textContent = "The connection failed; importing again skips what was imported."; };
    xhr.send(body);
  }
  if (upload) upload.addEventListener("submit", (e) => {
    e.preventDefault();
    const file = upload.querySelector("input[type=file]").files[0];
    if (file) send(file, file.name);
  });
  if (upload && paste) paste.addEventListener("submit", (e) => {
    e.preventDefault();
    send(paste.querySelector("textarea").value, "the pasted export");
  });
})();
