// One button per chapter page that opens or folds every code cell at once (the solutions stay as they are).
document.addEventListener("DOMContentLoaded", () => {
  const cells = () => [...document.querySelectorAll("div.cell:not(.tag_solution) > details.hide")];
  const first = document.querySelector("article.bd-article div.cell");
  if (!first || cells().length === 0) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "book-code-toggle btn btn-sm";
  const label = () => { button.textContent = cells().every(d => d.open) ? "Fold all code" : "Show all code"; };
  button.addEventListener("click", () => {
    const open = !cells().every(d => d.open);
    cells().forEach(d => { d.open = open; });
    label();
  });
  label();
  const heading = document.querySelector("article.bd-article h1");
  (heading || first).insertAdjacentElement("afterend", button);
});
