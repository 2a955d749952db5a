// The hall's display screen: reads its JSON every `data-refresh` seconds and redraws in place.
// One ECharts instance for the page's life (setOption, never a new init) and lists rebuilt with
// replaceChildren, so a screen left on for days holds the same objects; a failed read keeps the
// last figures and tries again at the next tick.
(function () {
  "use strict";
  var body = document.body;
  var url = body.dataset.url;
  var seconds = Math.max(15, parseInt(body.dataset.refresh, 10) || 60);
  var chartBox = document.querySelector('[data-role="chart"]');
  var chart = echarts.init(chartBox, null, { renderer: "canvas" });
  var updated = document.querySelector('[data-role="updated"]');

  function row(left, right) {
    var li = document.createElement("li");
    var a = document.createElement("span");
    a.textContent = left;
    var b = document.createElement("span");
    b.textContent = right;
    li.append(a, b);
    return li;
  }

  function fillList(name, items) {
    var list = document.querySelector('[data-list="' + name + '"]');
    if (!items.length) {
      list.replaceChildren(row(list.dataset.empty || "—", ""));
      return;
    }
    list.replaceChildren.apply(list, items);
  }

  function show(data) {
    ["members", "branches", "meetings_this_month", "volunteer_hours"].forEach(function (field) {
      document.querySelector('[data-field="' + field + '"]').textContent = data[field];
    });
    fillList("upcoming", data.upcoming.map(function (a) { return row(a.title + " · " + a.place, a.when); }));
    fillList("courses", (data.courses || []).map(function (c) { return row(c.title + " · " + c.room, c.when); }));
    fillList("decisions", (data.decisions || []).map(function (d) { return row(d.title, d.community); }));
    fillList("rooms_today", data.rooms_today.map(function (b) { return row(b.hall + " " + b.room + " · " + b.kind, b.time); }));
    fillList("lists", data.lists.map(function (l) {
      return row(l.name, l.states.map(function (s) { return s.name + " " + s.value; }).join("  "));
    }));
    var m = data.meetings_chart;
    chart.setOption({
      animation: false,
      color: ["#ff6b6b", "#ffd479", "#4fc3f7", "#81c784", "#ba68c8", "#90a4ae"],
      textStyle: { color: "#e8eefc" },
      legend: { top: 0, textStyle: { color: "#e8eefc", fontSize: 16 } },
      grid: { left: 40, right: 20, top: 40, bottom: 30, containLabel: true },
      xAxis: { type: "category", data: m.categories, axisLabel: { color: "#e8eefc", fontSize: 16 } },
      yAxis: { type: "value", axisLabel: { color: "#e8eefc" }, splitLine: { lineStyle: { color: "rgba(255,255,255,0.1)" } } },
      series: m.series.map(function (s) { return { name: s.name, type: s.type || "bar", stack: s.stack, data: s.data }; })
    }, { notMerge: true });
    updated.textContent = data.generated_at;
    body.dataset.loaded = String((parseInt(body.dataset.loaded, 10) || 0) + 1);
  }

  function tick() {
    fetch(url, { credentials: "omit", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(show)
      .catch(function () { body.dataset.failed = "true"; })
      .then(function () { window.setTimeout(tick, seconds * 1000); });
  }

  window.addEventListener("resize", function () { chart.resize(); });
  tick();
})();
