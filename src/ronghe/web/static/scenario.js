// Scenario sliders: post the relative changes to /api/v1/simulate and show the new numbers.
(function () {
  "use strict";
  var root = document.getElementById("scenario");
  if (!root) { return; }
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var lang = root.dataset.lang;
  var sliders = root.querySelectorAll('input[type="range"]');
  var timer = null;
  var names = {};  // indicator id -> the name the page shows (ids are never shown)
  sliders.forEach(function (s) { names[s.dataset.indicator] = s.dataset.name; });
  root.querySelectorAll("#new-obstacles li").forEach(function (li) {
    names[li.dataset.indicator] = li.textContent.replace(/ \([^)]*\)$/, "");
  });

  function text(id, value) { document.getElementById(id).textContent = value; }

  function show(data) {
    var row = {};
    data.summary.forEach(function (r) { row[r.metric] = r.scenario; });
    text("new-index", row.index.toFixed(4));
    text("new-rank", String(Math.round(row.rank)));
    text("new-d", row.D.toFixed(4));
    text("new-grade", lang === "zh" ? data.grade_zh : data.grade_en);
    var list = document.getElementById("new-obstacles");
    list.textContent = "";
    data.obstacles.forEach(function (o) {
      var li = document.createElement("li");
      li.textContent = (names[o.indicator] || o.name_zh || o.indicator) + " (" + o.degree.toFixed(3) + ")";
      list.appendChild(li);
    });
  }

  function run() {
    var changes = {};
    sliders.forEach(function (s) {
      var v = Number(s.value);
      if (v !== 0) { changes[s.dataset.indicator] = (v > 0 ? "+" : "") + v + "%"; }
    });
    fetch("/api/v1/simulate", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ region: root.dataset.region, year: Number(root.dataset.year), changes: changes })
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (res) {
      var err = document.getElementById("scenario-error");
      if (res.ok) { err.hidden = true; show(res.body); }
      else { err.hidden = false; err.textContent = JSON.stringify(res.body.detail); }
    });
  }

  sliders.forEach(function (s) {
    s.addEventListener("input", function () {
      s.nextElementSibling.textContent = s.value + "%";
      clearTimeout(timer);
      timer = setTimeout(run, 150);
    });
  });
}());
