() => Array.from(document.querySelectorAll('.dashboard-grid-widget-head h4'))
  .map(h => h.textContent.trim())
