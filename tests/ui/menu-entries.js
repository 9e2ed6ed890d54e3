() => Array.from(document.querySelectorAll('ul.menu-popup a, ul.menu-popup h3'))
  .filter(e => e.offsetParent !== null)
  .map(e => e.textContent.trim())
