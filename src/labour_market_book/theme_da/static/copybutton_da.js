// Danish texts for sphinx-copybutton, which has no Danish and no option for its texts.
// Loaded right after copybutton.js (labour_market_book.sphinx_ext): that script's
// top-level `messages`, `locale`, `iconCopy` and `iconCheck` are global bindings, and its
// buttons are made when the page has loaded, so they get these texts.
if (typeof messages !== "undefined" && document.documentElement.lang === "da") {
  messages["da"] = {
    copy: "Kopiér",
    copy_to_clipboard: "Kopiér til udklipsholder",
    copy_success: "Kopieret!",
    copy_failure: "Kunne ikke kopiere",
  };
  locale = "da";
  const title = (svg, text) => svg.replace(/<title>[^<]*<\/title>/, `<title>${text}</title>`);
  iconCopy = title(iconCopy, messages.da.copy_to_clipboard);
  iconCheck = title(iconCheck, messages.da.copy_success);
}
