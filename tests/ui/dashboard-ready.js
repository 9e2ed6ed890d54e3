(minWidgets) => {
  const widgets = document.querySelectorAll('.dashboard-grid-widget');
  if (widgets.length < minWidgets) return false;
  if (document.querySelector('.dashboard-grid-widget.is-loading, .dashboard-grid-widget-container.is-loading, .is-loading')) return false;
  return Array.from(document.querySelectorAll('.dashboard-grid-widget img'))
    .every(img => img.complete && img.naturalWidth > 0);
}
