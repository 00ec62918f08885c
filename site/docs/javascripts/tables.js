/* itamctl site: sortable tables and the inventory filter. No dependencies, no network.
 * Every table in a page's content sorts when its column heading is clicked
 * (numbers such as "1,234.56" numerically, everything else as text, empty cells
 * last). A <div class="itam-filter" data-columns="A|B"> before a table gets a
 * text box and one select per named column, and hides rows that do not match; the filter
 * is kept in the page's URL (?q=text&status=In%20service), so a filtered view can be shared.
 * Rows marked "itam-ended" (retired, disposed, ended) stay hidden unless "Show ended" is
 * ticked (?all=1). A page with several filtered tables gives each box a data-prefix, which its URL
 * parameters start with (?people-q=…&people-team=IT). A cell's data-value, when present, is what it
 * sorts and filters by (a status cell shows badges but filters by its word). Every cell gets its
 * column heading as data-label, for the phone layout. A box with data-tables="following" filters every
 * table after it (the expiries page: one table per month), matching each named column by its heading. */
(function () {
  "use strict";

  function cellText(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var value = cell.getAttribute("data-value");  // a status cell: its word, not its badges
    return value !== null ? value : cell.textContent.trim();
  }

  function asNumber(text) {
    if (!/^-?[\d,]+(\.\d+)?$/.test(text)) return null;
    return parseFloat(text.replace(/,/g, ""));
  }

  function compare(a, b) {
    if (a === b) return 0;
    if (a === "") return 1;
    if (b === "") return -1;
    var x = asNumber(a), y = asNumber(b);
    if (x !== null && y !== null) return x - y;
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function sortBy(table, header, index) {
    var body = table.tBodies[0];
    if (!body) return;
    var descending = header.getAttribute("aria-sort") === "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var order = compare(cellText(r1, index), cellText(r2, index));
      if (descending && cellText(r1, index) !== "" && cellText(r2, index) !== "") order = -order;
      return order;
    });
    Array.prototype.forEach.call(header.parentNode.cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) { fragment.appendChild(row); });
    body.appendChild(fragment);
  }

  function key(name) { return name.toLowerCase().split(/\s+/).join("-"); }

  function labelCells(table) {
    if (!table.tHead || !table.tBodies[0]) return;
    var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.textContent.trim(); });
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      Array.prototype.forEach.call(row.cells, function (td, i) { if (heads[i]) td.setAttribute("data-label", heads[i]); });
    });
  }

  function makeSortable(table) {
    if (table.dataset.itamSortable || !table.tHead) return;
    table.dataset.itamSortable = "1";
    labelCells(table);
    if (!table.tBodies[0] || table.tBodies[0].rows.length < 3) return;  // nothing to sort in a two-row table
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      th.setAttribute("role", "columnheader");
      th.setAttribute("tabindex", "0");
      th.title = "Sort by " + th.textContent.trim();
      th.addEventListener("click", function () { sortBy(table, th, index); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sortBy(table, th, index); });
    });
  }

  function tableAfter(node) {
    var tables = document.querySelectorAll(".md-content table");
    for (var i = 0; i < tables.length; i++) {
      if (node.compareDocumentPosition(tables[i]) & Node.DOCUMENT_POSITION_FOLLOWING) return tables[i];
    }
    return null;
  }

  function tablesAfter(node) {
    return Array.prototype.filter.call(document.querySelectorAll(".md-content table"), function (t) {
      return t.tHead && t.tBodies[0] && (node.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
  }

  function makeFilter(box) {
    var table = tableAfter(box);
    if (box.dataset.itamReady || !table || !table.tHead) return;
    box.dataset.itamReady = "1";
    var tables = box.dataset.tables === "following" ? tablesAfter(box) : [table];
    var rows = [], columns = [];  // columns[i]: heading -> index in rows[i]'s table
    tables.forEach(function (t) {
      var heads = {};
      Array.prototype.forEach.call(t.tHead.rows[0].cells, function (th, i) { heads[th.textContent.trim()] = i; });
      Array.prototype.forEach.call(t.tBodies[0].rows, function (row) { rows.push(row); columns.push(heads); });
    });
    function valueOf(n, name) {
      var index = columns[n][name];
      return index === undefined ? "" : cellText(rows[n], index);
    }
    var params = new URLSearchParams(window.location.search);
    var prefix = box.dataset.prefix ? box.dataset.prefix + "-" : "";
    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = "Filter rows…";
    search.setAttribute("aria-label", "Filter rows");
    search.className = "itam-filter__text";
    search.value = params.get(prefix + "q") || "";
    box.appendChild(search);
    var selects = [];
    (box.dataset.columns || "").split("|").forEach(function (name) {
      if (!columns.some(function (heads) { return heads[name] !== undefined; })) return;
      var select = document.createElement("select");
      select.setAttribute("aria-label", name);
      select.dataset.column = name;
      select.dataset.key = prefix + key(name);
      var values = {};
      rows.forEach(function (row, n) { values[valueOf(n, name)] = true; });
      select.appendChild(new Option(name + ": all", ""));
      Object.keys(values).sort(compare).forEach(function (v) { select.appendChild(new Option(v || "(none)", v)); });
      var wanted = params.get(select.dataset.key);
      select.value = wanted !== null && values[wanted] ? wanted : "";
      box.appendChild(select);
      selects.push(select);
    });
    var ended = rows.filter(function (row) { return row.classList.contains("itam-ended"); }).length;
    var all = null;
    if (ended) {
      var label = document.createElement("label");
      all = document.createElement("input");
      all.type = "checkbox";
      all.className = "itam-filter__all";
      all.checked = params.get(prefix + "all") === "1";
      label.appendChild(all);
      label.appendChild(document.createTextNode(" " + (box.dataset.ended || "Show retired, disposed and ended") + " (" + ended + ")"));
      box.appendChild(label);
    }
    var count = document.createElement("span");
    count.className = "itam-filter__count";
    box.appendChild(count);
    function remember() {
      var next = new URLSearchParams(window.location.search);  // other tables' filters stay
      next.delete(prefix + "q");
      next.delete(prefix + "all");
      selects.forEach(function (s) { next.delete(s.dataset.key); });
      if (search.value.trim()) next.set(prefix + "q", search.value.trim());
      selects.forEach(function (s) { if (s.selectedIndex > 0) next.set(s.dataset.key, s.value); });
      if (all && all.checked) next.set(prefix + "all", "1");
      var query = next.toString().replace(/\+/g, "%20");
      try {
        window.history.replaceState(window.history.state, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      } catch (e) { /* file:// pages may refuse; the filter still works */ }
    }
    function apply() {
      var needle = search.value.trim().toLowerCase(), shown = 0;
      rows.forEach(function (row, n) {
        var ok = !needle || row.textContent.toLowerCase().indexOf(needle) >= 0;
        if (ok && all && !all.checked && row.classList.contains("itam-ended")) ok = false;
        selects.forEach(function (s) {
          if (ok && s.selectedIndex > 0 && valueOf(n, s.dataset.column) !== s.value) ok = false;
        });
        row.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = shown + " of " + rows.length + " shown";
      if (tables.length > 1) tables.forEach(function (t) {  // a table with nothing shown goes, heading and all
        var any = Array.prototype.some.call(t.tBodies[0].rows, function (r) { return !r.hidden; });
        var block = t.closest(".md-typeset__scrollwrap") || t;
        block.hidden = !any;
        var head = block.previousElementSibling;
        if (head && /^H[23]$/.test(head.tagName)) head.hidden = !any;
      });
    }
    function changed() { apply(); remember(); }
    search.addEventListener("input", changed);
    selects.forEach(function (s) { s.addEventListener("change", changed); });
    if (all) all.addEventListener("change", changed);
    apply();
  }

  function init() {
    document.querySelectorAll(".md-content table").forEach(makeSortable);
    document.querySelectorAll(".itam-filter").forEach(makeFilter);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
