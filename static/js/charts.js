// Charts of the workbench: each <figure data-chart> reads its JSON (data-url), draws it with
// ECharts (canvas, rich-text tooltips: no inline styles, so the page's CSP holds), fills the
// table beside it (screen readers, printing) and offers the picture as a PNG.
(function () {
  "use strict";
  var PALETTE = ["#c00000", "#e6a23c", "#409eff", "#67c23a", "#909399", "#8e44ad", "#16a085", "#d35400"];

  function cellText(value) {
    return value === null || value === undefined ? "—" : String(value);
  }

  function fillTable(box, data) {
    var table = document.createElement("table");
    table.className = "table table-sm table-striped mb-0";
    var caption = document.createElement("caption");
    caption.className = "visually-hidden";
    caption.textContent = data.title;
    table.appendChild(caption);
    var head = table.createTHead().insertRow();
    data.columns.forEach(function (column) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = column;
      head.appendChild(th);
    });
    var body = table.createTBody();
    data.rows.forEach(function (row) {
      var tr = body.insertRow();
      row.forEach(function (value, index) {
        var cell = index === 0 ? document.createElement("th") : document.createElement("td");
        if (index === 0) { cell.scope = "row"; }
        cell.textContent = cellText(value);
        tr.appendChild(cell);
      });
    });
    box.replaceChildren(table);
  }

  function option(data) {
    var base = {
      color: PALETTE,
      animation: false,
      tooltip: { trigger: data.kind === "pie" || data.kind === "funnel" || data.kind === "heatmap" ? "item" : "axis", renderMode: "richText" },
      grid: { left: 48, right: 16, top: 40, bottom: 40, containLabel: true }
    };
    if (data.kind === "pie") {
      base.legend = { type: "scroll", bottom: 0 };
      base.series = [{ type: "pie", radius: ["35%", "65%"], data: data.series[0].data, label: { formatter: "{b}: {c}" } }];
      return base;
    }
    if (data.kind === "funnel") {
      base.series = [{ type: "funnel", sort: "none", left: "10%", width: "80%", data: data.series[0].data, label: { formatter: "{b}: {c}" } }];
      return base;
    }
    if (data.kind === "heatmap") {
      var max = 1;
      data.series[0].data.forEach(function (d) { if (d[2] > max) { max = d[2]; } });
      base.xAxis = { type: "category", data: data.categories, splitArea: { show: true } };
      base.yAxis = { type: "category", data: data.y_categories, inverse: true, splitArea: { show: true } };
      base.visualMap = { min: 0, max: max, calculable: true, orient: "horizontal", left: "center", bottom: 0, inRange: { color: ["#fff5f0", "#c00000"] } };
      base.grid.bottom = 64;
      base.series = [{ type: "heatmap", data: data.series[0].data, label: { show: true } }];
      return base;
    }
    base.legend = { type: "scroll", top: 0 };
    base.xAxis = { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: data.categories.length > 6 ? 30 : 0 } };
    base.yAxis = { type: "value", name: data.unit || "", max: data.unit === "%" ? 100 : null };
    base.series = data.series.map(function (s) {
      return { name: s.name, type: s.type || data.kind, stack: s.stack, data: s.data, connectNulls: false };
    });
    return base;
  }

  function draw(figure) {
    var canvas = figure.querySelector('[data-role="canvas"]');
    var tableBox = figure.querySelector('[data-role="table"]');
    var note = figure.querySelector('[data-role="note"]');
    var png = figure.querySelector('[data-role="png"]');
    fetch(figure.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        fillTable(tableBox, data);
        note.textContent = data.note || "";
        if (!data.rows.length) {
          canvas.textContent = figure.dataset.empty;
          canvas.classList.add("text-muted");
          figure.dataset.ready = "empty";
          return;
        }
        var chart = echarts.init(canvas, null, { renderer: "canvas" });
        chart.setOption(option(data));
        window.addEventListener("resize", function () { chart.resize(); });
        png.disabled = false;
        png.addEventListener("click", function () {
          var link = document.createElement("a");
          link.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
          link.download = (figure.dataset.key || "chart") + ".png";
          document.body.appendChild(link);
          link.click();
          link.remove();
        });
        figure.dataset.ready = "true";
      })
      .catch(function () {
        tableBox.textContent = figure.dataset.error;
        figure.dataset.ready = "error";
      });
  }

  document.querySelectorAll("figure[data-chart]").forEach(draw);
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll('details[data-role="details"]').forEach(function (d) { d.open = true; });
  });
})();
