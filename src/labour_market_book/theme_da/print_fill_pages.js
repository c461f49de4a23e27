// The print edition: write each chapter's page number into the contents (from the first print).
(pages) => {
  for (const el of document.querySelectorAll('.print-contents .print-page')) {
    const page = pages[el.dataset.chapter];
    el.textContent = page === undefined ? '00' : String(page);
  }
}
