// modscreen review app: keyboard shortcuts, claiming and claim renewal. Everything also works without it.
// Nothing changes on a GET: claiming, next and previous are form POSTs (with the CSRF token) that the
// keys submit. The server marks the claim form data-autoclaim only when this site itself navigated here.
(function () {
  "use strict";
  var RENEW_EVERY_MS = 60 * 1000;

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  function press(id) {
    var button = document.getElementById(id);
    if (button && !button.disabled) { button.click(); return true; }
    return false;
  }

  // ---- item page ---------------------------------------------------------------------------
  function itemKeys(event) {
    var reason = document.getElementById("reason");
    if (event.target === reason && event.key === "Enter") {  // r, choose with the arrows, Enter rejects
      event.preventDefault();
      var note = document.getElementById("note");
      if (reason.value === "other" && note && !note.value.trim()) { note.focus(); return; }
      press("reject");
      return;
    }
    if (event.target.id === "note" && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();  // a note typed after r: Ctrl+Enter rejects
      press("reject");
      return;
    }
    if (event.key === "Escape" && typing(event.target)) { event.target.blur(); return; }
    if (typing(event.target)) { return; }
    var handled = false;
    switch (event.key) {
      case "a": handled = press("approve"); break;
      case "r": if (reason) { reason.focus(); handled = true; } break;
      case "e": handled = press("escalate"); break;
      case "c": handled = press("claim-button"); break;
      case "j": case "n": handled = press("next"); break;
      case "k": case "p": handled = press("prev"); break;
    }
    if (handled) { event.preventDefault(); }
  }

  function renewClaims(container) {
    var url = container.getAttribute("data-claim-url");
    var token = container.getAttribute("data-csrf");
    if (!url || !token) { return; }
    window.setInterval(function () {
      fetch(url, { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": token } })
        .then(function (response) {
          if (response.ok) { return; }
          return response.json().then(function (body) {
            var claim = document.getElementById("claim");
            if (claim) { claim.textContent = "claim lost: " + (body.error || response.status); claim.className = "taken"; }
          });
        })
        .catch(function () { /* offline for a moment: the next beat tries again */ });
    }, RENEW_EVERY_MS);
  }

  // ---- queue page --------------------------------------------------------------------------
  function queueKeys(event) {
    if (typing(event.target)) { return; }
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr.queue-row"));
    var current = rows.findIndex(function (row) { return row.classList.contains("active"); });
    function select(index) {
      if (!rows.length) { return; }
      if (current >= 0) { rows[current].classList.remove("active"); }
      current = Math.max(0, Math.min(rows.length - 1, index));
      rows[current].classList.add("active");
      rows[current].scrollIntoView({ block: "nearest" });
    }
    var handled = true;
    switch (event.key) {
      case "n": handled = press("start"); break;
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "o": case "Enter":
        if (current >= 0) { window.location.assign(rows[current].getAttribute("data-href")); } else { handled = false; }
        break;
      case "x":
        if (current >= 0) { var box = rows[current].querySelector("input[type=checkbox]"); if (box) { box.checked = !box.checked; } }
        break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var page = document.body.getAttribute("data-page");
    if (page === "item") {
      document.addEventListener("keydown", itemKeys);
      var container = document.querySelector("[data-claim-url]");
      if (container) { renewClaims(container); }
      var claimForm = document.querySelector("form[data-autoclaim]");
      if (claimForm) { claimForm.submit(); }  // a same-origin POST: opening an item from this site claims it
    } else if (page === "queue") {
      document.addEventListener("keydown", queueKeys);
    }
  });
})();
