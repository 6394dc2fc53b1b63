// The admin page works without this file; it adds keyboard and convenience:
// "/" focuses the search, the search and filters apply themselves (debounced),
// Copy buttons, confirmations, and a file import with progress.
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
  if (filters) {
    for (const el of filters.querySelectorAll("select[data-auto]")) el.addEventListener("change", apply);
  }

  for (const b of document.querySelectorAll("button[data-copy]")) {
    b.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(b.dataset.copy);
        const was = b.textContent;
        b.textContent = "Copied";
        setTimeout(() => { b.textContent = was; }, 1500);
      } catch {
        b.textContent = "Select and copy";
      }
    });
  }

  for (const f of document.querySelectorAll("form[data-confirm]")) {
    f.addEventListener("submit", (e) => {
      if (!window.confirm(f.dataset.confirm)) e.preventDefault();
    });
  }

  const upload = document.getElementById("import-file");
  if (upload) upload.addEventListener("submit", (e) => {
    e.preventDefault();
    const file = upload.querySelector("input[type=file]").files[0];
    if (!file) return;
    const box = document.getElementById("import-progress");
    const bar = document.getElementById("import-bar");
    const status = document.getElementById("import-status");
    box.hidden = false;
    bar.removeAttribute("value");
    status.textContent = "Sending " + file.name + "…";
    // XMLHttpRequest, not fetch: it reports the upload's progress, and the
    // answer's lines as they arrive (one per batch the server has imported).
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
      if (xhr.status >= 400 && !last) status.textContent = "The import was refused (HTTP " + xhr.status + ").";
      else if (last && !last.error) status.textContent = "Done. " + status.textContent;
    };
    xhr.onerror = () => { status.textContent = "The connection failed; importing the file again skips what was imported."; };
    xhr.send(file);
  });
})();
