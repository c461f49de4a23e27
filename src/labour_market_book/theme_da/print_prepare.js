// The print edition, in the browser (labour_market_book.print_edition): reduce the single
// page to the book — title page, contents, the chapters in reading order, a colophon —
// without code, downloads or the workbench; links inside the book become links inside the
// document. Called with {titlePage, colophon, entries}; returns the chapters printed.
(data) => {
  const article = document.querySelector('article.bd-article');
  // documents that are not printed (the workbench) go first, so links to them lose their target
  const printed = new Set(data.entries.map(e => e.doc));
  for (const anchor of article.querySelectorAll('span[id^="document-"]')) {
    if (printed.has(anchor.id.slice(9))) continue;
    let next = anchor.nextElementSibling;
    while (next && next.tagName !== 'SECTION') next = next.nextElementSibling;
    if (next) next.remove();
    anchor.remove();
  }
  const ids = new Set(Array.from(article.querySelectorAll('[id]'), e => e.id));
  // each document: the section after its anchor (the anchor itself sits before a page break)
  const chapters = [];
  const sectionOf = {};
  for (const entry of data.entries) {
    let section;
    if (entry.doc === data.entries[0].doc) {
      section = article.querySelector('section');
    } else {
      const anchor = document.getElementById('document-' + entry.doc);
      section = anchor && anchor.nextElementSibling;
      while (section && section.tagName !== 'SECTION') section = section.nextElementSibling;
    }
    if (!section) throw new Error('print edition: no section for ' + entry.doc);
    sectionOf[entry.doc] = section;
    chapters.push({...entry, section});
  }
  // out with code, downloads, permalinks, number tooltips, scripts; a list item or line that
  // only held download links ("Filer: CSV · YAML") goes with them
  const holders = new Set(Array.from(article.querySelectorAll('a[download]'),
                                     a => a.closest('li, p, .exhibit-downloads')).filter(Boolean));
  for (const el of article.querySelectorAll(
      '.cell_input, details.hide, .exhibit-downloads, a[download], a.headerlink, .tal-kilde, '
      + 'script, noscript, button, .copybtn, .prev-next-area, .workbench-link')) el.remove();
  // the front page's list of the whole site goes (the print has its contents page); a
  // chapter's list of its sections stays, as the chapter's text announces it
  const root = sectionOf[data.entries[0].doc];
  for (const wrapper of root.querySelectorAll('.toctree-wrapper')) {
    if (wrapper.closest('section') !== root) continue;
    for (const list of wrapper.querySelectorAll(':scope > ul')) list.remove();
  }
  for (const holder of holders) {
    const rest = Array.from(holder.childNodes).filter(n => n.nodeName !== 'STRONG')
      .map(n => n.textContent).join('');
    if (holder.isConnected && !/[\p{L}\p{N}]/u.test(rest)) holder.remove();
  }
  // links: within the book -> within the document; out -> kept; to files -> plain text
  const docOf = (path) => path.replace(/^(\.\.\/|\.\/)+/, '').replace(/\.html$/, '');
  for (const a of article.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    if (/^(https?:|mailto:)/.test(href)) continue;
    const [path, fragment] = href.split('#');
    let target = null;
    if (fragment && fragment.startsWith('document-') && sectionOf[fragment.slice(9)]) {
      target = sectionOf[fragment.slice(9)].id;
    } else if (fragment && ids.has(fragment)) {
      target = fragment;
    } else if (path && sectionOf[docOf(path)]) {
      target = sectionOf[docOf(path)].id;
    }
    if (target) { a.setAttribute('href', '#' + target); continue; }
    a.replaceWith(...a.childNodes);
  }
  // the book: title page, contents, chapters
  const book = document.createElement('div');
  book.className = 'print-edition bd-article';
  book.setAttribute('role', 'main');
  book.insertAdjacentHTML('beforeend', data.titlePage);
  const contents = document.createElement('nav');
  contents.className = 'print-contents';
  contents.setAttribute('aria-label', 'Indhold');
  contents.innerHTML = '<h2>Indhold</h2>';
  const list = document.createElement('ol');
  contents.appendChild(list);
  book.appendChild(contents);
  const result = [];
  chapters.forEach((chapter, i) => {
    const section = chapter.section;
    const heading = section.querySelector('h1, h2, h3, h4');
    if (i === 0) heading.textContent = 'Om bogen';
    heading.classList.add('print-chapter-title');
    section.classList.add('print-chapter');
    const title = heading.textContent.trim();
    if (chapter.part) {
      const part = document.createElement('li');
      part.className = 'print-part';
      part.textContent = chapter.part;
      list.appendChild(part);
    }
    const item = document.createElement('li');
    item.className = 'print-level-' + chapter.level;
    item.innerHTML = '<a><span class="print-entry-title"></span><span class="print-leader"></span>'
      + '<span class="print-page" data-chapter="">00</span></a>';
    item.querySelector('a').setAttribute('href', '#' + section.id);
    item.querySelector('.print-entry-title').textContent = title;
    item.querySelector('.print-page').dataset.chapter = section.id;
    list.appendChild(item);
    result.push({doc: chapter.doc, id: section.id, title});
  });
  // each chapter's section, out of its parent's toctree, in reading order
  // a chapter with sections lists them where its text announces them (the single page
  // inlines the sections instead of the site's list)
  for (const chapter of chapters.slice(1)) {
    for (const wrapper of chapter.section.querySelectorAll('.toctree-wrapper')) {
      if (wrapper.closest('section') !== chapter.section) continue;
      const parts = Array.from(wrapper.querySelectorAll(':scope > section'));
      if (!parts.length) continue;
      const list = document.createElement('ul');
      list.className = 'print-sections';
      for (const part of parts) {
        const heading = part.querySelector('h1, h2, h3, h4');
        const item = document.createElement('li');
        const link = document.createElement('a');
        link.setAttribute('href', '#' + part.id);
        link.textContent = heading ? heading.textContent.trim() : part.id;
        item.appendChild(link);
        list.appendChild(item);
      }
      wrapper.before(list);
    }
  }
  chapters.forEach(chapter => book.appendChild(chapter.section));
  book.insertAdjacentHTML('beforeend', data.colophon);
  for (const wrapper of book.querySelectorAll('.toctree-wrapper')) {
    if (!wrapper.querySelector('section')) wrapper.remove();
  }
  for (const anchor of book.querySelectorAll('span[id^="document-"]')) anchor.remove();
  document.body.replaceChildren(book);
  document.documentElement.lang = 'da';
  // a table wider than the column may break its header words (print.css: .print-squeeze)
  for (const table of book.querySelectorAll('table')) {
    if (table.getBoundingClientRect().right > book.getBoundingClientRect().right + 1) {
      table.classList.add('print-squeeze');
    }
  }
  return result;
}
