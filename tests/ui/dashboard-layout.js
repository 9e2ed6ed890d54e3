() => {
  // The top-level tiles of the dashboard grid: widgets and iterators (graph prototype widgets),
  // not the cells inside an iterator. Each tile's element is its grid slot.
  const tiles = Array.from(document.querySelectorAll('.dashboard-grid-widget, .dashboard-grid-iterator'))
    .filter(e => !e.parentElement.closest('.dashboard-grid-iterator'))
    .map(e => {
      const r = e.getBoundingClientRect();
      const h = e.querySelector('h4');
      return { title: h ? h.textContent.trim() : '', left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    });
  // Grid points (every 8 px, 4 px in from each edge) inside the tiles' bounding box that no tile covers.
  const gaps = [];
  if (tiles.length > 0) {
    const box = { left: Math.min(...tiles.map(t => t.left)), top: Math.min(...tiles.map(t => t.top)),
      right: Math.max(...tiles.map(t => t.right)), bottom: Math.max(...tiles.map(t => t.bottom)) };
    for (let y = box.top + 4; y < box.bottom - 4; y += 8) {
      for (let x = box.left + 4; x < box.right - 4; x += 8) {
        if (!tiles.some(t => x >= t.left - 1 && x <= t.right + 1 && y >= t.top - 1 && y <= t.bottom + 1)) {
          gaps.push(Math.round(x - box.left) + ',' + Math.round(y - box.top));
        }
      }
    }
  }
  const grid = document.querySelector('.dashboard-grid');
  const gridBox = grid ? grid.getBoundingClientRect() : { left: 0, right: 0 };
  // Empty cells of a graph prototype widget (fewer graphs than columns x rows).
  const placeholders = Array.from(document.querySelectorAll('.dashboard-grid-iterator-placeholder'))
    .filter(e => e.offsetParent !== null).length;
  // Text the browser cuts with an ellipsis: widget titles, and the item widget's value, name and time.
  const truncated = Array.from(document.querySelectorAll('.dashboard-grid h4, .dashboard-grid .dashboard-grid-widget-content *, .dashboard-grid .dashboard-grid-widget-contents *'))
    .filter(e => e.offsetParent !== null && e.textContent.trim() !== ''
      && getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1)
    .map(e => e.textContent.trim());
  return { tiles, gapPoints: gaps.length, gaps: gaps.slice(0, 10), placeholders, truncated, gridLeft: gridBox.left, gridRight: gridBox.right };
}
