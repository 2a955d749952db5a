// Polls a report export's status while it is built, updates the progress bar, and reloads the
// page when the job finishes so the figures and the download appear.
(function () {
  "use strict";
  var box = document.getElementById("report-status");
  if (!box) {
    return;
  }
  var bar = box.querySelector('[data-role="bar"]');
  bar.style.width = bar.dataset.progress + "%";
  if (box.dataset.finished === "true") {
    return;
  }
  var url = box.dataset.statusUrl;
  var status = box.querySelector('[data-role="status"]');
  var progress = box.querySelector(".progress");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          window.setTimeout(poll, 5000);
          return;
        }
        bar.style.width = data.progress + "%";
        bar.textContent = data.progress + "%";
        progress.setAttribute("aria-valuenow", data.progress);
        status.textContent = data.status_display;
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 1000);
})();
