(text) => Array.from(document.querySelectorAll('a, span.menu-popup-item, li > a'))
  .find(a => a.offsetParent !== null && a.textContent.trim() === text)
