// Live progress of one check: asks the server for the state every second; shows the result when done.
"use strict";
(function () {
  var line = document.getElementById("progress");
  if (!line) { return; }
  var url = line.getAttribute("data-state-url");
  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (answer) { return answer.json(); })
      .then(function (state) {
        line.textContent = state.text;
        if (state.done) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
