() => Array.from(document.querySelectorAll('.dashboard-grid-widget-head h4, .dashboard-grid-widget-header h4'))
  .map(h => h.textContent.trim())
