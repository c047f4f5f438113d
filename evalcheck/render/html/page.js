// evalcheck --format html: sorting and filtering the overview, focusing a finding's cells,
// printing one report.  The page is complete without this script; it only adds to it.
(function () {
  "use strict";
  var table = document.getElementById("overview-table");
  var rule = document.getElementById("f-rule");
  var severity = document.getElementById("f-sev");
  var text = document.getElementById("f-text");
  var count = document.getElementById("f-count");

  function rows() {
    return table ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
  }

  function filter() {
    var wanted = rule ? rule.value : "";
    var level = severity ? severity.value : "";
    var words = text ? text.value.trim().toLowerCase() : "";
    var all = rows();
    var shown = 0;
    all.forEach(function (row) {
      var rules = (row.getAttribute("data-rules") || "").split(" ");
      var levels = (row.getAttribute("data-sev") || "").split(" ");
      var ok = (!wanted || rules.indexOf(wanted) >= 0) &&
        (!level || levels.indexOf(level) >= 0) &&
        (!words || row.textContent.toLowerCase().indexOf(words) >= 0);
      row.hidden = !ok;
      var section = document.getElementById(row.getAttribute("data-r"));
      if (section) { section.hidden = !ok; }
      if (ok) { shown += 1; }
    });
    if (count) { count.value = "显示 " + shown + " / " + all.length + " 份"; }
  }

  function sortBy(header) {
    var index = Array.prototype.indexOf.call(header.parentNode.children, header);
    var numeric = header.getAttribute("data-sort") === "num";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(header.parentNode.children, function (th) {
      th.setAttribute("aria-sort", "none");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var keyed = rows().map(function (row) {
      var cell = row.cells[index];
      var value = cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent;
      return { row: row, key: numeric ? parseFloat(value) || 0 : value };
    });
    keyed.sort(function (a, b) {
      var order = numeric ? a.key - b.key : String(a.key).localeCompare(String(b.key), "zh-CN");
      return ascending ? order : -order;
    });
    var body = table.tBodies[0];
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (item) { fragment.appendChild(item.row); });
    body.appendChild(fragment);
  }

  function focus(card) {
    var section = card.closest("section.report");
    if (!section) { return; }
    Array.prototype.forEach.call(section.querySelectorAll(".focus"), function (el) {
      el.classList.remove("focus");
    });
    var number = card.getAttribute("data-f");
    card.classList.add("focus");
    Array.prototype.forEach.call(section.querySelectorAll(".m[data-f]"), function (el) {
      if (el.getAttribute("data-f").split(" ").indexOf(number) >= 0) { el.classList.add("focus"); }
    });
  }

  if (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.addEventListener("click", function () { sortBy(th); });
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(th); }
      });
    });
  }
  [rule, severity].forEach(function (el) { if (el) { el.addEventListener("change", filter); } });
  if (text) { text.addEventListener("input", filter); }
  var form = document.getElementById("filters");
  if (form) { form.addEventListener("submit", function (event) { event.preventDefault(); }); }

  Array.prototype.forEach.call(document.querySelectorAll("g.rule"), function (bar) {
    bar.addEventListener("click", function () {
      if (rule) { rule.value = bar.getAttribute("data-rule"); filter(); }
      document.getElementById("filters").scrollIntoView();
    });
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var button = target.closest("button.print");
    if (button) {
      var section = document.getElementById(button.getAttribute("data-report"));
      if (section) {
        section.classList.add("printing");
        document.body.classList.add("print-one");
        window.print();
      }
      return;
    }
    var card = target.closest("article.card");
    if (card) { focus(card); }
  });
  window.addEventListener("afterprint", function () {
    document.body.classList.remove("print-one");
    Array.prototype.forEach.call(document.querySelectorAll("section.printing"), function (el) {
      el.classList.remove("printing");
    });
  });
  function focusTarget() {
    var id = window.location.hash.slice(1);
    var el = id ? document.getElementById(id) : null;
    if (el && el.matches("article.card")) { focus(el); }
  }
  window.addEventListener("hashchange", focusTarget);
  focusTarget();
  if ((rule && rule.value) || (severity && severity.value) || (text && text.value)) {
    filter();  // values the browser restored on reload
  } else if (count) {
    count.value = "共 " + rows().length + " 份";
  }
})();
