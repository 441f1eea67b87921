
(function () {
  "use strict";
  // Without this script the report still shows every row, and every card and name is a plain link to
  // the table or the attorney; the controls only appear when they work.
  var table = document.getElementById("results");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var search = document.getElementById("search");
  var status = document.getElementById("status-filter");
  var item = document.getElementById("item-filter");
  var shown = document.getElementById("shown");
  var noMatch = document.getElementById("no-match");
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);

  // Accent-insensitive search: "nunez" finds "Núñez".
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").toLowerCase();
  }
  // Each row's text as the page was made (by its first index: sorting moves rows, not their text).
  var haystack = rows.map(function (row) { return fold(row.textContent); });
  rows.forEach(function (row, index) { row.dataset.index = String(index); });

  function tagged(row, tag) {
    return (" " + (row.dataset.tags || "") + " ").indexOf(" " + tag + " ") >= 0;
  }

  function apply() {
    var words = fold(search.value).trim().split(" ").filter(Boolean);
    var wanted = status.value;
    var tag = item.value;
    var count = 0;
    rows.forEach(function (row) {
      var text = haystack[Number(row.dataset.index)];
      var match = (!wanted || row.dataset.status === wanted) && (!tag || tagged(row, tag)) &&
        words.every(function (word) { return text.indexOf(word) >= 0; });
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
  }

  // A card, a group's number or "Show them": the table with those attorneys only (the link then
  // scrolls to it). Search and status are cleared, so the count on the card is the count shown.
  function showOnly(tag) {
    item.value = tag;
    status.value = "";
    search.value = "";
    apply();
  }
  Array.prototype.forEach.call(document.querySelectorAll("a[data-filter]"), function (link) {
    link.addEventListener("click", function () { showOnly(link.dataset.filter); });
  });

  // On a phone each attorney is a short card (name, status, next steps) that opens to the checklist and
  // details; on wider screens and paper the CSS shows everything, folded or not.
  function setOpen(row, open) {
    row.classList.toggle("folded", !open);
    var button = row.querySelector("button.unfold");
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.textContent = open ? "Hide checklist and details" : "Checklist and details";
  }
  rows.forEach(function (row) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "unfold";
    button.addEventListener("click", function () { setOpen(row, row.classList.contains("folded")); });
    row.querySelector("td[data-label='Next steps']").appendChild(button);
    setOpen(row, false);
  });

  // A name in "Who must act": that attorney's card, shown (whatever the filters) and opened.
  function reveal(id) {
    var row = id && document.getElementById(id);
    if (!row || row.parentNode !== body) { return; }
    if (row.hidden) { showOnly(""); }
    setOpen(row, true);
  }
  Array.prototype.forEach.call(document.querySelectorAll("a[href^='#attorney-']"), function (link) {
    link.addEventListener("click", function () { reveal(link.getAttribute("href").slice(1)); });
  });
  window.addEventListener("hashchange", function () { reveal(location.hash.slice(1)); });

  headers.forEach(function (th) {
    var button = th.querySelector("button.sort");
    if (button) { button.addEventListener("click", function () { sortBy(th); }); }
  });
  search.addEventListener("input", apply);
  status.addEventListener("change", apply);
  item.addEventListener("change", apply);
  document.getElementById("controls").hidden = false;
  var print = document.getElementById("print");
  print.hidden = false;
  print.addEventListener("click", function () { window.print(); });
  apply();
  reveal(location.hash.slice(1));
})();
