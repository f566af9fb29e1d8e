// Worked-case tables (generated/<lab>/examples.md, inside <div class="case-table">) are shown on a
// phone as one card per case (assets/formula.css): each cell gets its column's name as
// data-label, which the card shows before the value.
(function () {
  "use strict";
  document.querySelectorAll(".case-table table").forEach((table) => {
    const names = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
    table.querySelectorAll("tbody tr").forEach((row) => {
      Array.from(row.children).forEach((cell, i) => {
        if (names[i]) cell.dataset.label = names[i];
      });
    });
  });
})();
