
(function () {
  "use strict";
  // Without this script the report still shows every row; the controls only appear when they work.
  var table = document.getElementById("results");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var search = document.getElementById("search");
  var status = document.getElementById("status-filter");
  var shown = document.getElementById("shown");
  var noMatch = document.getElementById("no-match");
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);

  // Accent-insensitive search: "nunez" finds "Núñez".
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").toLowerCase();
  }
  var haystack = rows.map(function (row) { return fold(row.textContent); });
  rows.forEach(function (row, index) { row.dataset.index = String(index); });

  function apply() {
    var words = fold(search.value).trim().split(" ").filter(Boolean);
    var wanted = status.value;
    var count = 0;
    rows.forEach(function (row, index) {
      var match = (!wanted || row.dataset.status === wanted) && words.every(function (word) {
        return haystack[index].indexOf(word) >= 0;
      });
      row.hidden = !match;
      if (match) { count += 1; }
    });
    shown.textContent = count + " of " + rows.length + " shown";
    noMatch.hidden = count > 0 || rows.length === 0;
  }

  function sortBy(th) {
    var column = headers.indexOf(th);
    var numeric = th.dataset.type === "number";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    headers.forEach(function (other) {
      if (other.hasAttribute("aria-sort")) { other.setAttribute("aria-sort", "none"); }
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    function key(row) {
      var cell = row.cells[column];
      var value = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim().toLowerCase();
      return numeric ? parseFloat(value) || 0 : value;
    }
    rows.sort(function (a, b) {
      var x = key(a), y = key(b);
      var order = numeric ? x - y : x.localeCompare(y);
      // Ties keep the report's own order (who needs a person first) in both directions.
      if (order) { return ascending ? order : -order; }
      return a.dataset.index - b.dataset.index;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    haystack = rows.map(function (row) { return fold(row.textContent); });
  }

  headers.forEach(function (th) {
    var button = th.querySelector("button.sort");
    if (button) { button.addEventListener("click", function () { sortBy(th); }); }
  });
  search.addEventListener("input", apply);
  status.addEventListener("change", apply);
  document.getElementById("controls").hidden = false;
  var print = document.getElementById("print");
  print.hidden = false;
  print.addEventListener("click", function () { window.print(); });
  apply();
})();
