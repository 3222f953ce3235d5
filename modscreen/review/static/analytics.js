// modscreen analysts' sweep page: the threshold slider asks the server for its figures as it moves.
// Without this script the slider's form recomputes them server-side (the page works the same).
(function () {
  "use strict";
  var DELAY_MS = 60;

  function setup(section) {
    var url = section.getAttribute("data-url");
    var range = document.getElementById("review-at");
    var proposed = document.getElementById("propose-review-at");
    if (!url || !range) { return; }
    var timer = null;
    var asked = 0;

    function show(display) {
      var fields = section.querySelectorAll("[data-field]");
      for (var i = 0; i < fields.length; i++) {
        var name = fields[i].getAttribute("data-field");
        if (Object.prototype.hasOwnProperty.call(display, name)) {
          fields[i].textContent = display[name];
          if (name === "above_reject") { fields[i].hidden = !display[name]; }
        }
      }
    }

    function ask() {
      var value = range.value;
      var ticket = ++asked;
      section.classList.add("updating");
      fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "review_at=" + encodeURIComponent(value),
            { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          if (ticket !== asked) { return; }  // a later move has been asked for: show only the latest
          section.classList.remove("updating");
          if (body.display) { show(body.display); } else if (body.error) { show({ versus: body.error }); }
        })
        .catch(function () { section.classList.remove("updating"); });
    }

    range.addEventListener("input", function () {
      var output = document.getElementById("review-at-value");
      if (output) { output.textContent = Number(range.value).toFixed(2); }
      if (proposed) { proposed.value = range.value; }
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(ask, DELAY_MS);
    });
    if (proposed) {
      proposed.addEventListener("change", function () {
        var value = Number(proposed.value);
        if (proposed.value !== "" && value >= 0 && value <= 1) { range.value = String(value); ask(); }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.getElementById("slider");
    if (section) { setup(section); }
  });
})();
