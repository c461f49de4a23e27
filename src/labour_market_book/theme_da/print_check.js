// The print edition: anything wider than the A4 text column would be cut off by the printer;
// returns each such exhibit by name and width.
(column) => {
  // Anything wider than the text column would be cut off by the printer.
  const name = (el) => {
    const figure = el.closest('figure');
    const caption = figure && figure.querySelector('figcaption');
    const numbered = caption && caption.textContent.match(/(Tabel|Figur|Kort|Boks)\s+\d+\.\d+/);
    if (numbered) return numbered[0];
    if (figure && figure.id) return figure.id;
    const admonition = el.closest('.admonition');
    const section = el.closest('section');
    const heading = section && section.querySelector('h1, h2, h3, h4');
    const where = heading ? ` in "${heading.textContent.trim()}"` : '';
    if (admonition) return `the note${where}`;
    return `a ${el.tagName.toLowerCase()}${where}`;
  };
  const left = document.querySelector('.print-edition').getBoundingClientRect().left;
  const seen = new Set();
  const problems = [];
  for (const el of document.querySelectorAll(
      '.print-edition figure, .print-edition table, .print-edition img, .print-edition svg, '
      + '.print-edition .admonition, .print-edition pre, .print-edition p, .print-edition li, '
      + '.print-edition .cell_output, .print-edition h1, .print-edition h2, .print-edition h3')) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    const width = Math.max(rect.right - left, el.scrollWidth);
    if (width > column + 1) {
      const n = name(el);
      if (!seen.has(n)) { seen.add(n); problems.push({name: n, width: Math.round(width)}); }
    }
  }
  return problems;
}
